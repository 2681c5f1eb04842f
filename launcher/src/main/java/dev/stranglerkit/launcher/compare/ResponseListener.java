package dev.stranglerkit.launcher.compare;

import java.net.http.HttpHeaders;

/**
 * Sees every HTTP response of a workload, for what the latencies do not tell (the compare
 * collects the order ids of the {@code Location} headers to check the sagas afterwards).
 * Requests that got no response (timeouts, connection errors) are not passed on.
 */
@FunctionalInterface
public interface ResponseListener {

	/**
	 * Called on one of the HTTP client's threads, possibly on many at once: be
	 * thread-safe and quick. An exception thrown here is ignored.
	 */
	void onResponse(Request request, int status, HttpHeaders headers, String body);

}
