package dev.stranglerkit.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;

/**
 * The message contracts under {@code contracts/events/}, the files that the producer's
 * and the consumers' tests both read.
 */
final class EventContracts {

	static final Path FOLDER = Path.of("..", "contracts", "events").toAbsolutePath().normalize();

	private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(VersionFlag.V202012);

	private static final ObjectMapper JSON = new ObjectMapper();

	private EventContracts() {
	}

	/**
	 * @return every message type that has a schema
	 */
	static List<String> types() {
		try (Stream<Path> files = Files.list(FOLDER)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".schema.json") && !name.equals("envelope.schema.json"))
				.map((name) -> name.substring(0, name.length() - ".schema.json".length()))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String sample(String type) {
		try {
			return Files.readString(FOLDER.resolve(type + ".sample.json"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return what is wrong with the message as a message of its type; empty if nothing
	 */
	static Set<ValidationMessage> violations(String type, String message) {
		Path schemaFile = FOLDER.resolve(type + ".schema.json");
		if (!Files.exists(schemaFile)) {
			throw new AssertionError("No contract for message type '%s' in %s".formatted(type, FOLDER));
		}
		JsonSchema schema = SCHEMAS.getSchema(SchemaLocation.of(schemaFile.toUri().toString()));
		try {
			return schema.validate(JSON.readTree(message));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
