package dev.stranglerkit.gateway;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Which side a canary request goes to. Each key (a header, else a cookie, else the client
 * address) falls in one of 10,000 buckets by a stable hash of the route and the key; the
 * first {@code percent * 100} buckets go to the service. So one user stays on one side,
 * every gateway instance decides alike, and raising the percent only moves users from the
 * monolith to the service, never back.
 */
final class Canary {

	static final int BUCKETS = 10_000;

	private Canary() {
	}

	static boolean toService(String route, String key, int percent) {
		return bucket(route, key) < percent * (BUCKETS / 100);
	}

	static String key(ServerHttpRequest request, StranglerProperties.Canary canary) {
		String header = request.getHeaders().getFirst(canary.header());
		if (header != null && !header.isBlank()) {
			return header;
		}
		HttpCookie cookie = request.getCookies().getFirst(canary.cookie());
		if (cookie != null && !cookie.getValue().isBlank()) {
			return cookie.getValue();
		}
		InetSocketAddress remote = request.getRemoteAddress();
		return (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : "";
	}

	/** FNV-1a over the bytes, then SplitMix64's finalizer for an even spread. */
	static int bucket(String route, String key) {
		long hash = 0xcbf29ce484222325L;
		for (byte b : (route + '\0' + key).getBytes(StandardCharsets.UTF_8)) {
			hash ^= (b & 0xff);
			hash *= 0x100000001b3L;
		}
		hash ^= hash >>> 30;
		hash *= 0xbf58476d1ce4e5b9L;
		hash ^= hash >>> 27;
		hash *= 0x94d049bb133111ebL;
		hash ^= hash >>> 31;
		return (int) Long.remainderUnsigned(hash, BUCKETS);
	}

}
