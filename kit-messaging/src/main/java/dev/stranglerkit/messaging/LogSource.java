package dev.stranglerkit.messaging;

import java.util.List;
import java.util.Properties;

import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

/**
 * A PostgreSQL database whose write-ahead log Debezium reads (the CDC relay's own, the
 * monolith's for an extracted service's backfill), from a JDBC url: the replication
 * connection uses the url's host, database, role and TLS, and its other driver
 * parameters.
 *
 * @param url the JDBC url
 * @param user the role
 * @param password its password, if any
 */
public record LogSource(String url, String user, @Nullable String password) {

	private static final List<String> TLS = List.of("sslmode", "sslcert", "sslkey", "sslrootcert", "sslpassword",
			"sslfactory");

	/**
	 * The embedded engine's settings every reader of a log in the kit shares: the
	 * PostgreSQL connector through pgoutput, a slot and a publication of the kit's own
	 * making, only what is committed from the slot's creation on (no initial snapshot),
	 * its position written after every batch to the {@code offsets} database
	 * ({@link CdcOffsetStore}, a store named for the slot), no tombstones, and this
	 * database's connection.
	 * @param name the engine's name
	 * @param slot the replication slot, also the name of its stored position
	 * @param publication the publication it reads through
	 * @param tables the tables it reads, schema-qualified, comma-separated
	 * @param offsets the database that keeps its position
	 * @return the settings, to which the reader adds its own
	 */
	public Properties engineProperties(String name, String slot, String publication, String tables, LogSource offsets) {
		Properties engine = new Properties();
		engine.setProperty("name", name);
		engine.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
		engine.setProperty("topic.prefix", slot);
		engine.setProperty("offset.storage", CdcOffsetStore.class.getName());
		engine.setProperty(CdcOffsetStore.URL, offsets.url());
		engine.setProperty(CdcOffsetStore.USER, offsets.user());
		if (offsets.password() != null) {
			engine.setProperty(CdcOffsetStore.PASSWORD, offsets.password());
		}
		engine.setProperty(CdcOffsetStore.STORE, slot);
		engine.setProperty("offset.flush.interval.ms", "0");
		engine.setProperty("plugin.name", "pgoutput");
		engine.setProperty("slot.name", slot);
		engine.setProperty("publication.name", publication);
		engine.setProperty("publication.autocreate.mode", "disabled");
		engine.setProperty("table.include.list", tables);
		engine.setProperty("snapshot.mode", "no_data");
		engine.setProperty("tombstones.on.delete", "false");
		connectorProperties().forEach(engine::put);
		return engine;
	}

	/**
	 * @return the database's name
	 */
	public String database() {
		return parsed().getProperty("PGDBNAME");
	}

	/**
	 * @return Debezium's connection settings: the host, port and database of the url, its
	 * TLS settings as Debezium's, and its other driver parameters passed to the driver
	 */
	public Properties connectorProperties() {
		Properties url = parsed();
		Properties connector = new Properties();
		connector.setProperty("database.hostname", url.getProperty("PGHOST").split(",")[0]);
		connector.setProperty("database.port", url.getProperty("PGPORT", "5432").split(",")[0]);
		connector.setProperty("database.dbname", url.getProperty("PGDBNAME"));
		connector.setProperty("database.user", this.user);
		if (this.password != null) {
			connector.setProperty("database.password", this.password);
		}
		url.stringPropertyNames()
			.stream()
			.filter((name) -> !name.startsWith("PG"))
			.forEach((name) -> connector.setProperty((TLS.contains(name) ? "database." : "driver.") + name,
					url.getProperty(name)));
		return connector;
	}

	private Properties parsed() {
		Properties url = Driver.parseURL(this.url, null);
		if (url == null) {
			throw new IllegalStateException("not a PostgreSQL JDBC url: " + this.url);
		}
		return url;
	}

}
