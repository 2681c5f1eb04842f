package dev.stranglerkit.messaging;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import org.jspecify.annotations.Nullable;

/**
 * Where the CDC relay's Debezium engine keeps its position in the write-ahead log: the
 * table {@code kit_cdc_offset} of the application's own database, one store per
 * replication slot, instead of a file beside the process (lost with its container) or a
 * Kafka topic (the kit has no Kafka). The engine writes it only after the relay finished
 * a batch, that is after the broker confirmed every message in it; a write that fails
 * leaves the previous position, so the messages after it are sent again.
 * <p>
 * Debezium makes it by its class name and configures it with the engine's properties
 * ({@link #URL}, {@link #USER}, {@link #PASSWORD}, {@link #STORE}): it holds one
 * connection of its own, opened again after a failure.
 */
public final class CdcOffsetStore extends MemoryOffsetBackingStore {

	static final String URL = "kit.offsets.jdbc.url";

	static final String USER = "kit.offsets.jdbc.user";

	static final String PASSWORD = "kit.offsets.jdbc.password";

	static final String STORE = "kit.offsets.store";

	private @Nullable String url;

	private final Properties credentials = new Properties();

	private @Nullable String store;

	private @Nullable Connection connection;

	/** Made by Debezium. */
	public CdcOffsetStore() {
	}

	@Override
	public void configure(WorkerConfig config) {
		super.configure(config);
		Map<String, Object> properties = config.originals();
		this.url = (String) properties.get(URL);
		this.store = (String) properties.get(STORE);
		this.credentials.setProperty("user", String.valueOf(properties.get(USER)));
		// a write that hangs (the database unreachable) fails instead, and is tried again
		this.credentials.setProperty("socketTimeout", "30");
		Object password = properties.get(PASSWORD);
		if (password != null) {
			this.credentials.setProperty("password", password.toString());
		}
	}

	@Override
	public synchronized void start() {
		super.start();
		try (PreparedStatement read = connection()
			.prepareStatement("SELECT key, value FROM kit_cdc_offset WHERE store = ?")) {
			read.setString(1, this.store);
			try (ResultSet rows = read.executeQuery()) {
				while (rows.next()) {
					byte[] value = rows.getBytes("value");
					this.data.put(ByteBuffer.wrap(rows.getBytes("key")),
							(value != null) ? ByteBuffer.wrap(value) : null);
				}
			}
		}
		catch (SQLException ex) {
			close();
			throw new ConnectException("could not read the CDC relay's position from kit_cdc_offset", ex);
		}
	}

	@Override
	public void stop() {
		// (outside the monitor: super.stop() waits for a save() that holds it)
		super.stop();
		synchronized (this) {
			close();
		}
	}

	/** Writes every offset in one transaction (called on the store's own thread). */
	@Override
	protected synchronized void save() {
		try {
			Connection connection = connection();
			try (PreparedStatement upsert = connection.prepareStatement("""
					INSERT INTO kit_cdc_offset (store, key, value) VALUES (?, ?, ?)
					ON CONFLICT (store, key) DO UPDATE SET value = excluded.value, updated_at = now()""")) {
				for (Map.Entry<ByteBuffer, ByteBuffer> offset : this.data.entrySet()) {
					upsert.setString(1, this.store);
					upsert.setBytes(2, bytes(offset.getKey()));
					upsert.setBytes(3, (offset.getValue() != null) ? bytes(offset.getValue()) : null);
					upsert.addBatch();
				}
				upsert.executeBatch();
				connection.commit();
			}
		}
		catch (SQLException ex) {
			close();
			throw new ConnectException("could not write the CDC relay's position to kit_cdc_offset", ex);
		}
	}

	@Override
	public Set<Map<String, Object>> connectorPartitions(String connectorName) {
		// (Kafka Connect's REST API asks for them; the embedded engine does not)
		return Set.of();
	}

	private Connection connection() throws SQLException {
		if (this.connection == null || this.connection.isClosed()) {
			this.connection = DriverManager.getConnection(this.url, this.credentials);
			this.connection.setAutoCommit(false);
		}
		return this.connection;
	}

	private void close() {
		if (this.connection != null) {
			try {
				this.connection.close();
			}
			catch (SQLException ex) {
				// gone already
			}
			this.connection = null;
		}
	}

	private static byte[] bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.duplicate().get(bytes);
		return bytes;
	}

}
