package dev.stranglerkit.launcher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.stranglerkit.report.PerOrder;

/**
 * PostgreSQL's own counters, read before and after a run of {@code ./kit compare}: the
 * rows written in the landscape's databases ({@code pg_stat_database}), and the event
 * publications Spring Modulith's registry holds in each, every delivery of an event or a
 * command, and of them the ones sent to RabbitMQ (by the outbox relay or the CDC relay).
 */
record OrderCosts(long publications, long brokerPublications, long writes) {

	/** the registry's listener ids of the two relays */
	static final List<String> RELAYS = List.of("dev.stranglerkit.messaging.CdcRelay",
			"org.springframework.modulith.events.support.EventExternalizerModuleListener.externalize(java.lang.Object)");

	static OrderCosts read(Map<String, String> env) {
		Collection<String> databases = DatabaseTls.databases(env).values();
		long publications = 0;
		long broker = 0;
		long writes = 0;
		for (String database : databases) {
			try (Connection connection = OperatorDatabase.connect(env, database)) {
				try (PreparedStatement query = connection.prepareStatement(
						"SELECT count(*), count(*) FILTER (WHERE listener_id = ANY (?)) FROM event_publication")) {
					query.setArray(1, connection.createArrayOf("text", RELAYS.toArray()));
					try (ResultSet rows = query.executeQuery()) {
						rows.next();
						publications += rows.getLong(1);
						broker += rows.getLong(2);
					}
				}
				catch (SQLException ex) {
					// no registry in this database (its application never ran)
				}
				if (writes == 0) {
					try (PreparedStatement query = connection.prepareStatement("""
							SELECT coalesce(sum(tup_inserted + tup_updated + tup_deleted), 0) FROM pg_stat_database
							WHERE datname = ANY (?)""")) {
						query.setArray(1, connection.createArrayOf("text", databases.toArray()));
						try (ResultSet rows = query.executeQuery()) {
							rows.next();
							writes = rows.getLong(1);
						}
					}
				}
			}
			catch (SQLException ex) {
				throw new LaunchException("cannot read the counters of database " + database + ": " + ex.getMessage());
			}
		}
		return new OrderCosts(publications, broker, writes);
	}

	/**
	 * @return what happened since {@code before}, per order
	 */
	PerOrder since(OrderCosts before, long orders) {
		double n = Math.max(1, orders);
		return new PerOrder(orders, (this.publications - before.publications) / n,
				(this.brokerPublications - before.brokerPublications) / n, (this.writes - before.writes) / n);
	}

}
