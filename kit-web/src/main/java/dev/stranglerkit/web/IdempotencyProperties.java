package dev.stranglerkit.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code Idempotency-Key} of writes, under {@code kit.web.idempotency}.
 *
 * @param enabled whether POST and PATCH requests with the header are made idempotent
 * @param retention how long a key's answer is kept: a retry within this time gets the
 * same answer, a retry after it is a new request
 * @param cleanupInterval how often the keys older than the retention are deleted
 * @param waitForInProgress how long a request waits for another one with the same key
 * that is still in progress before it is answered {@code 409}
 */
@ConfigurationProperties("kit.web.idempotency")
public record IdempotencyProperties(@DefaultValue("true") boolean enabled, @DefaultValue("24h") Duration retention,
		@DefaultValue("10m") Duration cleanupInterval, @DefaultValue("10s") Duration waitForInProgress) {
}
