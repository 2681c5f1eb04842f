package dev.stranglerkit.ownership;

import java.time.Duration;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The decisions a side awaits from the other owner of a module, as metrics: the rows of
 * the module's table (one per business key, with {@code status} and {@code placed_at})
 * that are {@code AWAITING} another owner's decision.
 * <ul>
 * <li>{@code kit_ownership_awaited_decisions{module}}: all of them; a few for a moment is
 * the normal lag of a message.</li>
 * <li>{@code kit_ownership_overdue_decisions{module}}: those placed longer ago than
 * {@code kit.ownership.overdue-after} (30 s by default). Anything here is stranded: the
 * decider is down, or the order's message or its decision is dead-lettered.
 * {@code ./kit doctor} and the console show it with the recovery (start the decider,
 * {@code ./kit replay all}); the decider decides from its queue once it runs, and nothing
 * else waits meanwhile.</li>
 * </ul>
 * Read from the database on every scrape (a partial index keeps it cheap).
 */
public final class AwaitedDecisions implements MeterBinder {

	private final String module;

	private final String table;

	private final JdbcClient jdbc;

	private final OwnershipProperties properties;

	/**
	 * @param module the module, as in {@code kit.ownership.<module>}
	 * @param table its table of decisions, such as {@code inventory.reservations}
	 */
	public AwaitedDecisions(String module, String table, JdbcClient jdbc, OwnershipProperties properties) {
		this.module = module;
		this.table = table;
		this.jdbc = jdbc;
		this.properties = properties;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("kit.ownership.awaited.decisions", () -> count(Duration.ZERO))
			.description("Decisions this side awaits from the module's other owner")
			.tag("module", this.module)
			.register(registry);
		Gauge.builder("kit.ownership.overdue.decisions", () -> count(overdueAfter()))
			.description("Decisions awaited from the module's other owner for longer than kit.ownership.overdue-after")
			.tag("module", this.module)
			.register(registry);
	}

	/**
	 * {@code kit.ownership.overdue-after}, read at every use so that a refresh applies
	 */
	private Duration overdueAfter() {
		return this.properties.getOverdueAfter();
	}

	private long count(Duration olderThan) {
		return this.jdbc
			.sql("SELECT count(*) FROM " + this.table
					+ " WHERE status = 'AWAITING' AND placed_at < now() - make_interval(secs => ?)")
			.param(olderThan.toMillis() / 1000.0)
			.query(Long.class)
			.single();
	}

}
