package dev.stranglerkit.launcher;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * The operator's connection to the kit's PostgreSQL, as {@code ./kit} makes the
 * databases: {@code SHOP_DB_HOST}, {@code SHOP_DB_PORT}, {@code SHOP_DB_USER}
 * ({@code postgres}) and {@code SHOP_DB_PASSWORD} from the environment.
 */
final class OperatorDatabase {

	private OperatorDatabase() {
	}

	static Connection connect(Map<String, String> env, String database) throws SQLException {
		return DriverManager
			.getConnection("jdbc:postgresql://%s:%s/%s".formatted(env.getOrDefault("SHOP_DB_HOST", "127.0.0.1"),
					env.getOrDefault("SHOP_DB_PORT", "5432"), database), credentials(env));
	}

	static Properties credentials(Map<String, String> env) {
		Properties credentials = new Properties();
		credentials.setProperty("user", env.getOrDefault("SHOP_DB_USER", "postgres"));
		credentials.setProperty("password", env.getOrDefault("SHOP_DB_PASSWORD", ""));
		credentials.setProperty("connectTimeout", "5");
		return credentials;
	}

}
