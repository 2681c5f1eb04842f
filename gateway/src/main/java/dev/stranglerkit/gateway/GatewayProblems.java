package dev.stranglerkit.gateway;

import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.core.annotation.Order;
import org.springframework.core.log.LogMessage;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Every error the gateway itself answers is an {@code application/problem+json} with a
 * clear {@code detail}, never a stack trace: no route (404), no instance of the target
 * (503), a target that timed out (504) or could not be reached (502), a body too large
 * (413).
 */
@Component
@Order(-2) // before Spring Boot's own error handler
class GatewayProblems implements WebExceptionHandler {

	private static final Log logger = LogFactory.getLog(GatewayProblems.class);

	private final JsonMapper json;

	GatewayProblems(JsonMapper json) {
		this.json = json;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(failure);
		}
		ProblemDetail problem = problem(failure);
		if (problem.getStatus() >= 500) {
			logger.warn(LogMessage.format("%s %s answered %d: %s", exchange.getRequest().getMethod(),
					exchange.getRequest().getURI().getRawPath(), problem.getStatus(), causes(failure)));
		}
		problem.setInstance(java.net.URI.create(exchange.getRequest().getURI().getRawPath()));
		response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().set(TargetFilter.SERVED_BY, "gateway");
		DataBuffer body = response.bufferFactory().wrap(this.json.writeValueAsBytes(problem));
		return response.writeWith(Mono.just(body));
	}

	/**
	 * The chain of causes in one line: what an operator needs to tell the faults apart.
	 */
	private static String causes(Throwable failure) {
		StringBuilder line = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			line.append((line.isEmpty()) ? "" : " <- ").append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				line.append(" (").append(cause.getMessage()).append(')');
			}
		}
		return line.toString();
	}

	private static ProblemDetail problem(Throwable failure) {
		if (failure instanceof NotFoundException notFound) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"No instance of the target is available: " + notFound.getReason());
		}
		if (failure instanceof ResponseStatusException status) {
			HttpStatusCode code = status.getStatusCode();
			String detail = (status.getReason() != null) ? status.getReason()
					: (code.value() == 404) ? "No route for this path." : status.getMessage();
			return ProblemDetail.forStatusAndDetail(code, detail);
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof TimeoutException || cause.getClass().getSimpleName().equals("ReadTimeoutException")) {
				return ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT,
						"The target did not answer in time.");
			}
			if (cause instanceof java.net.ConnectException) {
				return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, "The target could not be reached.");
			}
		}
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
				"The gateway could not get an answer from the target.");
	}

}
