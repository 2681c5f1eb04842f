package dev.stranglerkit.shop;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.stranglerkit.shop.catalog.Product;
import dev.stranglerkit.shop.catalog.ProductAdded;
import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.catalog.internal.CatalogService;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener that fails (a deadlock, a lost connection) does not stop the saga: its
 * publication stays incomplete and is resubmitted until the listener succeeds.
 */
@SpringBootTest
class EventPublicationResubmissionTests {

	private final CatalogService catalog;

	private final FlakyListener flaky;

	private final JdbcClient jdbc;

	EventPublicationResubmissionTests(CatalogService catalog, FlakyListener flaky, JdbcClient jdbc) {
		this.catalog = catalog;
		this.flaky = flaky;
		this.jdbc = jdbc;
	}

	@Test
	void retriesAFailedListenerUntilItSucceeds() {
		Product product = this.catalog.add("Flaky filter papers", new BigDecimal("3.20"));

		await().atMost(Duration.ofSeconds(30)).until(() -> this.flaky.succeeded(product.id()));

		assertThat(this.flaky.attempts()).isGreaterThanOrEqualTo(2);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.jdbc.sql("""
					SELECT count(*) FROM event_publication
					WHERE listener_id LIKE '%FlakyListener%' AND serialized_event LIKE ? AND completion_date IS NULL""")
				.param("%" + product.id() + "%")
				.query(Long.class)
				.single()).isZero());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		FlakyListener flakyListener() {
			return new FlakyListener();
		}

	}

	/** Fails the first delivery of every event, succeeds from the second on. */
	static class FlakyListener {

		private final AtomicInteger attempts = new AtomicInteger();

		private final Set<ProductId> failedOnce = ConcurrentHashMap.newKeySet();

		private final Set<ProductId> succeeded = ConcurrentHashMap.newKeySet();

		@ApplicationModuleListener
		void on(ProductAdded event) {
			this.attempts.incrementAndGet();
			if (this.failedOnce.add(event.productId())) {
				throw new IllegalStateException("Simulated failure of the first delivery");
			}
			this.succeeded.add(event.productId());
		}

		int attempts() {
			return this.attempts.get();
		}

		boolean succeeded(ProductId id) {
			return this.succeeded.contains(id);
		}

	}

}
