package dev.stranglerkit.launcher.compare;

import java.util.Objects;

/**
 * One request of a workload. The endpoint is the label its latency is counted under, so
 * that {@code GET /api/orders/17} and {@code GET /api/orders/18} make one endpoint,
 * {@code GET /api/orders/{id}}.
 *
 * @param endpoint the label latencies, statuses and the traffic split are grouped by
 * @param method the HTTP method
 * @param path the path (and query) relative to the workload's base URI
 * @param body the JSON body, or null for none
 * @param idempotencyKey the {@code Idempotency-Key} the request is sent with, or null for
 * none; a request with a key that got no answer is sent again with the same key (see
 * {@link Workload})
 */
public record Request(String endpoint, String method, String path, String body, String idempotencyKey) {

	public Request {
		Objects.requireNonNull(endpoint, "endpoint");
		Objects.requireNonNull(method, "method");
		Objects.requireNonNull(path, "path");
	}

	/**
	 * A request without an {@code Idempotency-Key}.
	 */
	public Request(String endpoint, String method, String path, String body) {
		this(endpoint, method, path, body, null);
	}

	/**
	 * @return this request, sent with the key
	 */
	public Request withIdempotencyKey(String key) {
		return new Request(this.endpoint, this.method, this.path, this.body, Objects.requireNonNull(key, "key"));
	}

	/**
	 * A GET labelled with its method and path.
	 */
	public static Request get(String path) {
		return new Request("GET " + path, "GET", path, null);
	}

}
