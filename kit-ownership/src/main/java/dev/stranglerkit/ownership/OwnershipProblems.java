package dev.stranglerkit.ownership;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A request that needs the answer to who owns a module while the ownership is not
 * confirmed ({@link OwnershipUnconfirmedException}): 503 with {@code Retry-After}, since
 * the answer comes once the config server does; nothing was changed. Ahead of the
 * application's own advice, whose catch-all would make it a 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class OwnershipProblems {

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unconfirmed(OwnershipUnconfirmedException ex) {
		String why = ex.getMessage();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				Character.toUpperCase(why.charAt(0)) + why.substring(1) + ". Nothing was changed; retry in a moment");
		problem.setTitle("Ownership not confirmed");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "5")
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

}
