package dev.stranglerkit.web;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Makes a POST or PATCH that carries an {@code Idempotency-Key} header safe to retry: a
 * retry with the same key gets the first request's answer (status, body, {@code Location}
 * and {@code Content-Type}, marked {@code Idempotent-Replayed: true}) and causes no
 * second effect. Requests without the header, and other methods (PUT and DELETE are
 * idempotent by nature), pass untouched.
 * <p>
 * The whole request runs in one transaction of the application's transaction manager: the
 * key is claimed first, the application's {@code @Transactional} services join the
 * transaction, and the answer is stored in it before it commits. The key's record
 * therefore exists exactly when the effect does, whatever crashes when; the client sees
 * the answer only once both are committed. An answer that committed nothing (a 5xx, an
 * exception, a service that marked the transaction rollback-only) is rolled back with the
 * key: a retry runs the request again.
 * <p>
 * A request whose key another request still holds waits for it, for at most
 * {@code kit.web.idempotency.wait-for-in-progress}: then it gets that request's answer,
 * or, if that request rolled back, runs itself. If the wait runs out, the answer is
 * {@code 409}: the first request is still in progress, retry later with the same key. The
 * same key with another method, path, query or body is {@code 422} and changes nothing; a
 * blank key or one over 255 characters is {@code 400}. Errors are problems of the kit's
 * one shape (see {@link ProblemDetailsAdvice}).
 */
final class IdempotencyKeyFilter extends OncePerRequestFilter {

	static final String HEADER = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	static final int MAX_KEY_LENGTH = 255;

	private static final Set<String> WRITES = Set.of("POST", "PATCH");

	private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyFilter.class);

	private final IdempotentRequests requests;

	private final TransactionOperations transactions;

	private final IdempotencyProperties properties;

	private final JsonMapper json;

	private final MeterRegistry meters;

	IdempotencyKeyFilter(IdempotentRequests requests, TransactionOperations transactions,
			IdempotencyProperties properties, JsonMapper json, MeterRegistry meters) {
		this.requests = requests;
		this.transactions = transactions;
		this.properties = properties;
		this.json = json;
		this.meters = meters;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getHeader(HEADER) == null || !WRITES.contains(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = request.getHeader(HEADER);
		if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
			count("invalid");
			problem(request, response, HttpStatus.BAD_REQUEST, "Invalid Idempotency-Key",
					"The Idempotency-Key header must be 1 to %d characters, not blank (a UUID is a good key)"
						.formatted(MAX_KEY_LENGTH));
			return;
		}
		byte[] body = request.getInputStream().readAllBytes();
		String path = request.getRequestURI();
		String hash = hash(request.getMethod(), path, request.getQueryString(), body);
		ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
		Outcome outcome;
		try {
			outcome = this.transactions.execute((transaction) -> {
				if (!this.requests.claim(key, request.getMethod(), path, hash, this.properties.waitForInProgress())) {
					return this.requests.find(key).map((recorded) -> {
						if (!recorded.requestHash().equals(hash)) {
							return Outcome.mismatch(key, recorded, request.getMethod(), path);
						}
						return Outcome.replay(recorded);
					}).orElseGet(() -> Outcome.inProgress(key));
				}
				try {
					chain.doFilter(new CachedBodyRequest(request, body), answer);
				}
				catch (IOException | ServletException ex) {
					throw new ChainFailedException(ex);
				}
				if (answer.getStatus() >= 500 || transaction.isRollbackOnly()) {
					transaction.setRollbackOnly();
					return Outcome.ROLLED_BACK;
				}
				this.requests.complete(key, answer.getStatus(), answer.getHeader(HttpHeaders.LOCATION),
						answer.getContentType(), answer.getContentAsByteArray());
				return Outcome.RECORDED;
			});
		}
		catch (ChainFailedException ex) {
			// rolled back; the error goes on to the container as it would have
			if (ex.getCause() instanceof ServletException servlet) {
				throw servlet;
			}
			throw (IOException) ex.getCause();
		}
		catch (PessimisticLockingFailureException ex) {
			outcome = Outcome.inProgress(key);
		}
		catch (RuntimeException ex) {
			if (response.isCommitted()) {
				throw ex;
			}
			log.error("Could not complete the request with Idempotency-Key {}", key, ex);
			answer.reset();
			outcome = Outcome.problem("failed", HttpStatus.SERVICE_UNAVAILABLE, "Request not completed",
					"The request could not be completed; retry it with the same Idempotency-Key, which applies "
							+ "it at most once");
		}
		count(outcome.name());
		if (outcome.answer() != null) {
			answer.reset();
			writeAnswer(response, outcome.answer());
		}
		else if (outcome.problem() != null) {
			answer.reset();
			problem(request, response, outcome.problem().status(), outcome.problem().title(),
					outcome.problem().detail());
		}
		else {
			answer.copyBodyToResponse();
		}
	}

	private void writeAnswer(HttpServletResponse response, IdempotentRequests.Recorded recorded) throws IOException {
		response.setStatus(recorded.status());
		if (recorded.contentType() != null) {
			response.setContentType(recorded.contentType());
		}
		if (recorded.location() != null) {
			response.setHeader(HttpHeaders.LOCATION, recorded.location());
		}
		response.setHeader(REPLAYED, "true");
		byte[] body = (recorded.body() != null) ? recorded.body() : new byte[0];
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/** A problem of the same shape as {@link ProblemDetailsAdvice}'s, written here. */
	private void problem(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
			String detail) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", title);
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", request.getRequestURI());
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(this.json.writeValueAsBytes(problem));
	}

	private void count(String outcome) {
		this.meters.counter("kit.web.idempotency.requests", "outcome", outcome).increment();
	}

	/**
	 * @return the SHA-256, in hex, of what makes two requests the same request
	 */
	static String hash(String method, String path, @Nullable String query, byte[] body) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update((method + ' ' + path + '?' + ((query != null) ? query : "") + '\n')
				.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest.digest(body));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/**
	 * What became of a request with a key: its own answer was recorded, or rolled back,
	 * or it gets a recorded answer, or a problem.
	 */
	private record Outcome(String name, IdempotentRequests.@Nullable Recorded answer, @Nullable Problem problem) {

		static final Outcome RECORDED = new Outcome("recorded", null, null);

		static final Outcome ROLLED_BACK = new Outcome("rolled-back", null, null);

		static Outcome replay(IdempotentRequests.Recorded recorded) {
			return new Outcome("replayed", recorded, null);
		}

		static Outcome mismatch(String key, IdempotentRequests.Recorded recorded, String method, String path) {
			String detail = (recorded.method().equals(method) && recorded.path().equals(path))
					? "Idempotency-Key '%s' was already used with a different request body; use a new key for a new request"
						.formatted(key)
					: "Idempotency-Key '%s' was already used for %s %s; use a new key for a new request".formatted(key,
							recorded.method(), recorded.path());
			return problem("mismatch", HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused", detail);
		}

		static Outcome inProgress(String key) {
			return problem("in-progress", HttpStatus.CONFLICT, "Request in progress", ("A request with "
					+ "Idempotency-Key '%s' is still in progress; retry later with the same key to get its answer")
				.formatted(key));
		}

		static Outcome problem(String name, HttpStatus status, String title, String detail) {
			return new Outcome(name, null, new Problem(status, title, detail));
		}

	}

	private record Problem(HttpStatus status, String title, String detail) {
	}

	/** The request with its body read already, so that it can be read again. */
	private static final class CachedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		CachedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body has been read already");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			String encoding = getCharacterEncoding();
			Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

	}

	/** The chain's checked exception, carried out of the transaction to roll it back. */
	private static final class ChainFailedException extends RuntimeException {

		ChainFailedException(Exception cause) {
			super(cause);
		}

	}

}
