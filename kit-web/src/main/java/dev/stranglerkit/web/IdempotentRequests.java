package dev.stranglerkit.web;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The table of writes sent with an {@code Idempotency-Key}: one row per key, claimed
 * before the write runs and completed with its answer, all in the write's transaction.
 * PostgreSQL's primary key makes a second claim of a key wait until the first one's
 * transaction ends: committed, the second finds the answer; rolled back, the second
 * claims the key itself.
 */
final class IdempotentRequests {

	private final JdbcClient jdbc;

	IdempotentRequests(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Claims the key for a request, waiting at most {@code wait} for a transaction that
	 * holds the same key to end. Must run in a transaction.
	 * @return {@code true} if the key is this request's now, {@code false} if another
	 * request's answer was committed for it
	 * @throws org.springframework.dao.PessimisticLockingFailureException if the wait ran
	 * out; the transaction is then unusable
	 */
	boolean claim(String key, String method, String path, String requestHash, Duration wait) {
		// the time-out holds for the claim only, not for the write that follows it
		this.jdbc.sql("SELECT set_config('lock_timeout', ?, true)").param(wait.toMillis() + "ms").query().singleValue();
		int claimed = this.jdbc.sql("""
				INSERT INTO kit_idempotent_request (idempotency_key, method, path, request_hash)
				VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""").params(key, method, path, requestHash).update();
		this.jdbc.sql("SELECT set_config('lock_timeout', '0', true)").query().singleValue();
		return claimed == 1;
	}

	/**
	 * @return the request that holds the key, with its answer
	 */
	Optional<Recorded> find(String key) {
		return this.jdbc.sql("""
				SELECT method, path, request_hash, status, location, content_type, body
				FROM kit_idempotent_request WHERE idempotency_key = ?""")
			.param(key)
			.query((row, number) -> new Recorded(row.getString("method"), row.getString("path"),
					row.getString("request_hash"), row.getInt("status"), row.getString("location"),
					row.getString("content_type"), row.getBytes("body")))
			.optional();
	}

	/** Stores the answer of the request that claimed the key. */
	void complete(String key, int status, @Nullable String location, @Nullable String contentType, byte[] body) {
		this.jdbc.sql("""
				UPDATE kit_idempotent_request SET status = ?, location = ?, content_type = ?, body = ?
				WHERE idempotency_key = ?""").params(status, location, contentType, body, key).update();
	}

	/**
	 * @return how many keys older than the retention were deleted
	 */
	int deleteOlderThan(Duration retention) {
		return this.jdbc.sql("DELETE FROM kit_idempotent_request WHERE created_at < now() - make_interval(secs => ?)")
			.param(retention.toMillis() / 1000.0)
			.update();
	}

	/**
	 * A request recorded with its answer.
	 *
	 * @param requestHash the SHA-256 of its method, path, query and body
	 */
	record Recorded(String method, String path, String requestHash, int status, @Nullable String location,
			@Nullable String contentType, byte @Nullable [] body) {
	}

}
