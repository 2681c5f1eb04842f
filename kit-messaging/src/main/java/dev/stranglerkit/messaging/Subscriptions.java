package dev.stranglerkit.messaging;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The routing keys the landscape's queues are subscribed to, matched the way RabbitMQ's
 * topic exchange matches them: words separated by dots, {@code *} for exactly one word,
 * {@code #} for zero or more.
 */
final class Subscriptions {

	private final List<String> patterns;

	Subscriptions(Map<String, List<String>> subscriptions) {
		this.patterns = subscriptions.values().stream().flatMap(Collection::stream).distinct().toList();
	}

	boolean anyMatches(String routingKey) {
		return this.patterns.stream()
			.anyMatch((pattern) -> matches(pattern.split("\\."), 0, routingKey.split("\\."), 0));
	}

	static boolean matches(String pattern, String routingKey) {
		return matches(pattern.split("\\."), 0, routingKey.split("\\."), 0);
	}

	private static boolean matches(String[] pattern, int p, String[] key, int k) {
		if (p == pattern.length) {
			return k == key.length;
		}
		if (pattern[p].equals("#")) {
			for (int rest = k; rest <= key.length; rest++) {
				if (matches(pattern, p + 1, key, rest)) {
					return true;
				}
			}
			return false;
		}
		return k < key.length && (pattern[p].equals("*") || pattern[p].equals(key[k]))
				&& matches(pattern, p + 1, key, k + 1);
	}

}
