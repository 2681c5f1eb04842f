package dev.stranglerkit.shop;

import java.util.Locale;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * What a client sees of an HTTP API in an OpenAPI document: each operation's parameters,
 * request body and responses, every schema resolved in place, without the names an
 * implementation gives them (operation ids, tags, schema names). Two applications that
 * answer the same API have the same operations, whatever their classes are called.
 */
final class ApiContract {

	private ApiContract() {
	}

	/**
	 * @return path -> method -> operation, for the paths that start with the prefix
	 */
	static JsonNode operations(String openApi, String prefix) {
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		options.setResolveFully(true);
		var api = new OpenAPIV3Parser().readContents(openApi, null, options).getOpenAPI();
		// (OpenAPI 3.1 keeps a schema's types where 3.0 has one type: each has its
		// mapper)
		ObjectMapper json = api.getOpenapi().startsWith("3.1") ? Json31.mapper() : Json.mapper();
		ObjectNode operations = json.createObjectNode();
		new TreeMap<>(api.getPaths()).forEach((path, item) -> {
			if (path.startsWith(prefix)) {
				ObjectNode methods = operations.putObject(path);
				item.readOperationsMap().forEach((method, operation) -> {
					operation.setOperationId(null);
					operation.setTags(null);
					methods.set(method.name().toLowerCase(Locale.ROOT), json.valueToTree(operation));
				});
			}
		});
		// read back from its text, as a committed file is (numbers as the text has them)
		try {
			return json.readTree(json.writerWithDefaultPrettyPrinter().writeValueAsString(operations));
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
