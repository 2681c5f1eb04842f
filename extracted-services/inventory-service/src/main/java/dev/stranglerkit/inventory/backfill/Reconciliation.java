package dev.stranglerkit.inventory.backfill;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The inventory's data in the monolith and in the service, table by table: rows and a
 * checksum of their business columns (not the times each side wrote them), equal or not.
 * The backfill ends with one; {@code GET /actuator/reconciliation} (or
 * {@code ./kit reconcile}) makes one at any time, which is meaningful once the traffic
 * has settled (the two sides are eventually equal, not at every instant).
 */
@Component
@Endpoint(id = "reconciliation")
class Reconciliation {

	/** table -> its business columns, the first being the key the rows are ordered by */
	static final Map<String, String> COLUMNS = Map.of("stock", "product_id, available, reserved", "reservations",
			"order_id, status", "reservation_lines", "order_id, product_id, quantity", "adjustments",
			"event_id, product_id, previously_available, available");

	private final JdbcClient service;

	private final Backfill.Source source;

	Reconciliation(JdbcClient service, Backfill.Source source) {
		this.service = service;
		this.source = source;
	}

	@ReadOperation
	Report reconcile() {
		return compare(JdbcClient.create(this.source.dataSource()), this.service);
	}

	static Report compare(JdbcClient monolith, JdbcClient service) {
		List<Table> tables = new ArrayList<>();
		for (String table : Backfill.TABLES) {
			if (!COLUMNS.containsKey(table)) {
				// what a follower awaits: the decider keeps none
				continue;
			}
			tables.add(new Table(table, summary(monolith, table), summary(service, table)));
		}
		return new Report(tables.stream().allMatch(Table::equal), tables);
	}

	private static Summary summary(JdbcClient jdbc, String table) {
		String columns = COLUMNS.get(table);
		String row = String.join(" || '|' || ",
				java.util.Arrays.stream(columns.split(", ")).map((column) -> column + "::text").toList());
		return jdbc.sql(
				"SELECT count(*) AS rows, coalesce(md5(string_agg(%s, ',' ORDER BY %s)), '') AS checksum FROM inventory.%s"
					.formatted(row, columns, table))
			.query(Summary.class)
			.single();
	}

	record Summary(long rows, String checksum) {
	}

	record Table(String name, Summary monolith, Summary service) {

		public boolean equal() {
			return this.monolith.equals(this.service);
		}

	}

	record Report(boolean equal, List<Table> tables) {

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder("%-18s %10s %34s %10s %34s %s%n".formatted("table", "monolith",
					"checksum", "service", "checksum", ""));
			for (Table table : this.tables) {
				text.append("%-18s %10d %34s %10d %34s %s%n".formatted(table.name(), table.monolith().rows(),
						table.monolith().checksum(), table.service().rows(), table.service().checksum(),
						table.equal() ? "equal" : "DIFFERENT"));
			}
			return text.append(this.equal ? "equal" : "DIFFERENT").toString();
		}

	}

}
