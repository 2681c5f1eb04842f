package dev.stranglerkit.configserver.console;

import dev.stranglerkit.control.CutoverException;
import dev.stranglerkit.control.DeadLetters;
import dev.stranglerkit.control.RouteChangeException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The console's errors as {@code application/problem+json} (RFC 9457), never a stack
 * trace: a refused switch is a 422 that says what is expected, a cutover refused or
 * undone (the module keeps its owner) a 409 that says why, a replay the broker did not
 * take a 503, a malformed request the 400 of Spring MVC's own handler.
 */
@RestControllerAdvice(assignableTypes = ConsoleController.class)
class ConsoleProblems extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ProblemDetail refused(RouteChangeException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
		problem.setTitle("Switch refused");
		return problem;
	}

	/** The landscape not ready for the move, or a side that did not confirm it: 409. */
	@ExceptionHandler
	ProblemDetail cutoverNotDone(CutoverException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle(ex.undone() ? "Cutover undone" : "Cutover refused");
		return problem;
	}

	/** The broker unreachable: 503, with what the replay tried. */
	@ExceptionHandler
	ProblemDetail replayFailed(DeadLetters.ReplayException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setTitle("Replay not done");
		return problem;
	}

}
