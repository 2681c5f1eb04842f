package dev.stranglerkit.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;

/**
 * The message contracts under {@code contracts/events/}: the samples this service's tests
 * send, and the schemas what it publishes must match. (The service reads the files, not
 * the monolith's code.)
 */
final class Contracts {

	static final Path FOLDER = Path.of("..", "..", "contracts", "events").toAbsolutePath().normalize();

	private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(VersionFlag.V202012);

	private static final ObjectMapper JSON = new ObjectMapper();

	private Contracts() {
	}

	static String sample(String type) {
		try {
			return Files.readString(FOLDER.resolve(type + ".sample.json"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Set<ValidationMessage> violations(String type, String message) {
		JsonSchema schema = SCHEMAS
			.getSchema(SchemaLocation.of(FOLDER.resolve(type + ".schema.json").toUri().toString()));
		try {
			return schema.validate(JSON.readTree(message));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
