package dev.stranglerkit.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.core.EventPublicationRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * The group commit of publication states against the real PostgreSQL, on rows of
 * Modulith's own table.
 */
@SpringBootTest
class GroupCommitTests {

	final EventPublicationRepository repository;

	final JdbcClient jdbc;

	GroupCommitTests(EventPublicationRepository repository, JdbcClient jdbc) {
		this.repository = repository;
		this.jdbc = jdbc;
	}

	@Test
	void theRegistryWritesThroughTheGroupCommit() {
		assertThat(this.repository).isInstanceOf(GroupCommittedPublicationStates.class);
	}

	@Test
	void aCompletionIsCommittedWhenTheCallReturns() {
		UUID id = insert("PUBLISHED");
		Instant completed = Instant.now().truncatedTo(ChronoUnit.MILLIS);

		this.repository.markCompleted(id, completed);

		// read on another connection: the transaction has committed
		assertThat(status(id)).isEqualTo("COMPLETED");
		assertThat(this.jdbc.sql("SELECT completion_date FROM event_publication WHERE id = ?")
			.param(id)
			.query(Instant.class)
			.single()).isEqualTo(completed);
	}

	@Test
	void concurrentCompletionsShareTransactions() throws Exception {
		GroupCommittedPublicationStates states = (GroupCommittedPublicationStates) this.repository;
		List<UUID> ids = IntStream.range(0, 400).mapToObj((i) -> insert("PROCESSING")).toList();
		long before = states.transactions();

		try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
			ids.forEach((id) -> callers.submit(() -> this.repository.markCompleted(id, Instant.now())));
		}

		long transactions = states.transactions() - before;
		assertThat(ids).allSatisfy((id) -> assertThat(status(id)).isEqualTo("COMPLETED"));
		System.out.printf("[group commit] 400 completions in %d transactions%n", transactions);
		assertThat(transactions).isPositive().isLessThan(ids.size() / 4);
	}

	@Test
	void aProcessingMarkNeverMovesAPublicationBack() {
		UUID published = insert("PUBLISHED");
		UUID resubmitted = insert("RESUBMITTED");
		UUID failed = insert("FAILED");
		UUID completed = insert("PUBLISHED");
		this.repository.markCompleted(completed, Instant.now());

		List.of(published, resubmitted, failed, completed).forEach(this.repository::markProcessing);
		// a completion waits for its transaction; the marks queued before it are written
		// by then
		this.repository.markCompleted(insert("PUBLISHED"), Instant.now());

		assertThat(status(published)).isEqualTo("PROCESSING");
		assertThat(status(resubmitted)).isEqualTo("PROCESSING");
		assertThat(status(failed)).isEqualTo("FAILED");
		assertThat(status(completed)).isEqualTo("COMPLETED");
	}

	@Test
	void aCompletionInTheSameBatchWinsOverTheProcessingMark() {
		UUID id = insert("PUBLISHED");

		this.repository.markProcessing(id);
		this.repository.markCompleted(id, Instant.now());

		assertThat(status(id)).isEqualTo("COMPLETED");
	}

	@Test
	void aFailedWriteFailsTheCompletionAndTheWriterGoesOn() {
		UUID id = insert("PUBLISHED");
		// a date PostgreSQL cannot store fails the batch's transaction
		Instant unstorable = Instant.parse("+300000-01-01T00:00:00Z");

		assertThatRuntimeException().isThrownBy(() -> this.repository.markCompleted(id, unstorable));
		assertThat(status(id)).isEqualTo("PUBLISHED");

		this.repository.markCompleted(id, Instant.now());
		assertThat(status(id)).isEqualTo("COMPLETED");
	}

	@AfterEach
	void deleteTheTestsRows() {
		this.jdbc.sql("DELETE FROM event_publication WHERE listener_id = 'group-commit-test'").update();
	}

	/**
	 * @return a publication of no listener, dated an hour ahead, so that the
	 * application's resubmission and staleness jobs leave it alone during the test
	 */
	private UUID insert(String status) {
		UUID id = UUID.randomUUID();
		this.jdbc
			.sql("""
					INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date, status, completion_attempts)
					VALUES (?, 'group-commit-test', 'java.lang.String', '"test"', now() + interval '1 hour', ?, 1)""")
			.params(id, status)
			.update();
		return id;
	}

	private String status(UUID id) {
		return this.jdbc.sql("SELECT status FROM event_publication WHERE id = ?")
			.param(id)
			.query(String.class)
			.single();
	}

}
