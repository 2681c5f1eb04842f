package dev.stranglerkit.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * The problems each operation of the shop's API can answer, in the application's OpenAPI
 * document, as {@link ProblemDetailsAdvice} and {@link IdempotencyKeyFilter} give them:
 * {@code application/problem+json} with a {@code ProblemDetail}. The monolith and each
 * service document them alike (they answer them alike), so the API contract tests compare
 * the problems too.
 * <ul>
 * <li>400: a path or query value of the wrong type, a body that is not JSON of the
 * documented shape, an invalid {@code Idempotency-Key};</li>
 * <li>404: the resource a path names does not exist;</li>
 * <li>409: a write with an {@code Idempotency-Key} whose first request is still running,
 * or a change the resource's state refuses;</li>
 * <li>415: a body that is not {@code application/json};</li>
 * <li>422: a body that breaks a rule, or an {@code Idempotency-Key} reused for another
 * request;</li>
 * <li>503: the database unavailable for a moment (with {@code Retry-After}).</li>
 * </ul>
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(OpenApiCustomizer.class)
public class ProblemResponses {

	static final String SCHEMA = "ProblemDetail";

	static final String PROBLEM_JSON = "application/problem+json";

	@Bean
	OpenApiCustomizer problemResponses() {
		return ProblemResponses::document;
	}

	static void document(OpenAPI api) {
		if (api.getPaths() == null) {
			return;
		}
		if (api.getComponents() == null) {
			api.setComponents(new Components());
		}
		api.getComponents().addSchemas(SCHEMA, problemDetail());
		api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
			boolean write = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
			boolean pathParameters = parameters(operation, "path");
			ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
			Map<String, String> problems = new LinkedHashMap<>();
			if (write || pathParameters || parameters(operation, "query")) {
				problems.put("400", "Malformed request: a value of the wrong type, a body that is not JSON of the "
						+ "documented shape, or an invalid Idempotency-Key");
			}
			if (pathParameters) {
				problems.put("404", "No such resource");
			}
			if (write) {
				problems.put("409", "A request with this Idempotency-Key is still in progress, or the resource's "
						+ "state refuses the change");
			}
			if (operation.getRequestBody() != null) {
				problems.put("415", "The body is not application/json");
				problems.put("422", "The body breaks a rule (each broken rule listed), or the Idempotency-Key "
						+ "was used for another request");
			}
			problems.put("503",
					"The database is unavailable for a moment: retry (a write with the same " + "Idempotency-Key)");
			problems.forEach((status, description) -> responses.putIfAbsent(status, problem(description)));
			operation.setResponses(sorted(responses));
		}));
	}

	private static boolean parameters(Operation operation, String in) {
		return operation.getParameters() != null
				&& operation.getParameters().stream().map(Parameter::getIn).anyMatch(in::equals);
	}

	private static ApiResponse problem(String description) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM_JSON,
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA))));
	}

	/** RFC 9457's members, as Spring's {@code ProblemDetail} writes them */
	private static Schema<?> problemDetail() {
		return new ObjectSchema().description("A problem (RFC 9457), never a stack trace")
			.addProperty("type", new StringSchema().format("uri"))
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema())
			.addProperty("instance", new StringSchema().format("uri"))
			.additionalProperties(true);
	}

	private static ApiResponses sorted(ApiResponses responses) {
		ApiResponses sorted = new ApiResponses();
		responses.keySet().stream().sorted().forEach((status) -> sorted.addApiResponse(status, responses.get(status)));
		return sorted;
	}

}
