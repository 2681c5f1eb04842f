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
