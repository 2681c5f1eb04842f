package dev.stranglerkit.launcher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kit's replication slots on its PostgreSQL: the CDC relays'
 * ({@code kit.messaging.relay:
 * cdc}), one per application, named {@code kit_outbox_<its database>}, and an extracted
 * service's backfill's while it runs ({@code kit_backfill_<the service's database>}, on
 * the monolith's database; dropped when the backfill ends). A slot keeps the write-ahead
 * log from its position on: while its application is stopped, or runs the outbox relay,
 * it grows until the disk is full. {@code ./kit doctor} shows each slot with how far it
 * is behind; {@code ./kit down --clean} drops the ones nothing reads.
 */
final class ReplicationSlots {

	static final String PREFIX = "kit\\_";

	private final Map<String, String> env;

	ReplicationSlots(Map<String, String> env) {
		this.env = env;
	}

	/**
	 * A slot of a CDC relay.
	 *
	 * @param name its name, also its publication's and its stored position's
	 * @param database the database whose log it reads
	 * @param active whether a relay reads it now
	 * @param behind how many bytes of the log its relay has not confirmed yet
	 * @param retained how many bytes of the log it keeps on disk
	 * @param application the application whose database it reads (or the database's name,
	 * for a database of none of the landscape's applications)
	 */
	record Slot(String name, String database, boolean active, long behind, long retained, String application) {

		/** whether an extracted service's backfill reads it (not a CDC relay) */
		boolean backfill() {
			return this.name.startsWith("kit_backfill_");
		}

	}

	/**
	 * @return the kit's slots
	 * @throws LaunchException when the server cannot be asked
	 */
	List<Slot> list() {
		List<Slot> slots = new ArrayList<>();
		Map<String, String> applications = new java.util.HashMap<>();
		DatabaseTls.databases(this.env).forEach((application, database) -> applications.put(database, application));
		try (Connection connection = connect("postgres"); PreparedStatement query = connection.prepareStatement("""
				SELECT slot_name, database, active,
				  coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint,
				  coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint
				FROM pg_replication_slots WHERE slot_name LIKE ? ORDER BY slot_name""")) {
			query.setString(1, PREFIX + "%");
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					String database = rows.getString(2);
					slots.add(new Slot(rows.getString(1), database, rows.getBoolean(3), rows.getLong(4),
							rows.getLong(5), applications.getOrDefault(database, database)));
				}
			}
		}
		catch (SQLException ex) {
			throw new LaunchException("could not read PostgreSQL's replication slots: " + ex.getMessage());
		}
		return slots;
	}

	/**
	 * Drops the slots no relay reads, with their publications and stored positions (a
	 * relay that starts again makes a new slot, from where the log is then: the
	 * publications left incomplete meanwhile are sent by the outbox relay's resubmission
	 * or handed over at the CDC relay's start).
	 * @return the slots dropped
	 */
	List<Slot> dropUnread() {
		List<Slot> dropped = new ArrayList<>();
		for (Slot slot : list()) {
			if (slot.active()) {
				continue;
			}
			try (Connection connection = connect(slot.database()); Statement statement = connection.createStatement()) {
				statement.execute("SELECT pg_drop_replication_slot('" + slot.name() + "')");
				statement.execute("DROP PUBLICATION IF EXISTS " + slot.name());
				try (ResultSet offsets = statement.executeQuery("SELECT to_regclass('kit_cdc_offset') IS NOT NULL")) {
					offsets.next();
					if (!offsets.getBoolean(1)) {
						dropped.add(slot);
						continue;
					}
				}
				statement.execute("DELETE FROM kit_cdc_offset WHERE store = '" + slot.name() + "'");
				dropped.add(slot);
			}
			catch (SQLException ex) {
				throw new LaunchException(
						"could not drop the replication slot " + slot.name() + ": " + ex.getMessage());
			}
		}
		return dropped;
	}

	private Connection connect(String database) throws SQLException {
		return OperatorDatabase.connect(this.env, database);
	}

	/** bytes as a person reads them */
	static String size(long bytes) {
		if (bytes < 1024) {
			return bytes + " B";
		}
		if (bytes < 1024 * 1024) {
			return "%.1f KiB".formatted(bytes / 1024.0);
		}
		if (bytes < 1024L * 1024 * 1024) {
			return "%.1f MiB".formatted(bytes / (1024.0 * 1024));
		}
		return "%.1f GiB".formatted(bytes / (1024.0 * 1024 * 1024));
	}

}
