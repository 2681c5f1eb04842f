package dev.stranglerkit.messaging;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Applies each message id once per consumer. The id is recorded in the same transaction
 * as the effect: if the effect fails, the record is rolled back with it; if two consumers
 * race on one id, PostgreSQL's unique key makes the second wait for the first and then
 * find the id taken.
 */
final class ProcessedMessages {

	private final JdbcClient jdbc;

	private final TransactionOperations transactions;

	ProcessedMessages(JdbcClient jdbc, TransactionOperations transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/**
	 * @return {@code true} if the effect ran, {@code false} if the message had been
	 * processed before
	 */
	boolean processOnce(String consumer, EventEnvelope envelope, Runnable effect) {
		Boolean processed = this.transactions.execute((status) -> {
			int recorded = this.jdbc.sql("""
					INSERT INTO kit_processed_message (consumer, message_id, message_type)
					VALUES (?, ?, ?) ON CONFLICT DO NOTHING""")
				.params(consumer, envelope.messageId(), envelope.type())
				.update();
			if (recorded == 0) {
				return false;
			}
			effect.run();
			return true;
		});
		return Boolean.TRUE.equals(processed);
	}

}
