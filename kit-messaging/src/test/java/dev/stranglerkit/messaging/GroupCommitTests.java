package dev.stranglerkit.messaging;

import java.time.Duration;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.stranglerkit.messaging.GroupCommittedPublicationStates.PROCESSING_MARK_DELAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The group commit of publication states against the real PostgreSQL, on rows of
 * Modulith's own table.
 */
@SpringBootTest
class GroupCommitTests {

	final EventPublicationRepository repository;

	final JdbcClient jdbc;

	final TransactionTemplate requiresNew;

	GroupCommitTests(EventPublicationRepository repository, JdbcClient jdbc, PlatformTransactionManager transactions) {
		this.repository = repository;
		this.jdbc = jdbc;
		this.requiresNew = new TransactionTemplate(transactions);
		this.requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	@Test
	void theRegistryWritesThroughTheGroupCommit() {
		assertThat(this.repository).isInstanceOf(GroupCommittedPublicationStates.class);
	}

	@Test
	void aCompletionIsQueuedAndCommittedByTheWriter() {
		UUID id = insert("PUBLISHED");
		Instant completed = Instant.now().truncatedTo(ChronoUnit.MILLIS);

		this.repository.markCompleted(id, completed);

		// read on another connection: the writer's transaction has committed
		awaitStatus(id, "COMPLETED");
		assertThat(this.jdbc.sql("SELECT completion_date FROM event_publication WHERE id = ?")
			.param(id)
			.query(Instant.class)
			.single()).isEqualTo(completed);
	}

	@Test
	void aCallerDoesNotHoldItsConnectionWhileTheWriterCommits() {
		// The registry marks a publication in a transaction of its own, which holds a
		// pooled connection from its start; so does every caller here. Had a caller
		// waited for the writer's commit, ten of them would have held the whole pool
		// and the writer would have found no connection for that commit.
		List<UUID> ids = IntStream.range(0, 40).mapToObj((i) -> insert("PROCESSING")).toList();

		try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
			ids.forEach((id) -> callers.submit(() -> this.requiresNew
				.executeWithoutResult((tx) -> this.repository.markCompleted(id, Instant.now()))));
		}

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(ids).allSatisfy((id) -> assertThat(status(id)).isEqualTo("COMPLETED")));
	}

	@Test
	void concurrentCompletionsShareTransactions() throws Exception {
		GroupCommittedPublicationStates states = (GroupCommittedPublicationStates) this.repository;
		List<UUID> ids = IntStream.range(0, 400).mapToObj((i) -> insert("PROCESSING")).toList();
		long before = states.transactions();

		try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
			ids.forEach((id) -> callers.submit(() -> this.repository.markCompleted(id, Instant.now())));
		}

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(ids).allSatisfy((id) -> assertThat(status(id)).isEqualTo("COMPLETED")));
		long transactions = states.transactions() - before;
		System.out.printf("[group commit] 400 completions in %d transactions%n", transactions);
		assertThat(transactions).isPositive().isLessThan(ids.size() / 4);
	}

	@Test
	void aProcessingMarkNeverMovesAPublicationBack() {
		GroupCommittedPublicationStates states = (GroupCommittedPublicationStates) this.repository;
		UUID published = insert("PUBLISHED");
		UUID resubmitted = insert("RESUBMITTED");
		UUID failed = insert("FAILED");
		UUID completed = insert("PUBLISHED");
		this.repository.markCompleted(completed, Instant.now());
		awaitStatus(completed, "COMPLETED");

		List.of(published, resubmitted, failed, completed).forEach(this.repository::markProcessing);
		// held back, then queued (the application's resubmission may fail the failed one
		// again first, which drops its mark); the writer writes in order, so once a
		// completion queued after them is written, they are
		await().atMost(Duration.ofSeconds(10)).until(() -> states.heldBack() == 0);
		UUID last = insert("PUBLISHED");
		this.repository.markCompleted(last, Instant.now());
		awaitStatus(last, "COMPLETED");

		assertThat(status(published)).isEqualTo("PROCESSING");
		assertThat(status(resubmitted)).isEqualTo("PROCESSING");
		assertThat(status(failed)).isEqualTo("FAILED");
		assertThat(status(completed)).isEqualTo("COMPLETED");
	}

	@Test
	void aPublicationStillInFlightAfterTheDelayIsMarkedProcessing() {
		UUID id = insert("PUBLISHED");

		this.repository.markProcessing(id);

		// not at once: it stays published for half the delay
		await().during(PROCESSING_MARK_DELAY.dividedBy(2))
			.atMost(PROCESSING_MARK_DELAY)
			.until(() -> status(id).equals("PUBLISHED"));
		awaitStatus(id, "PROCESSING");
	}

	@Test
	void aPublicationCompletedWithinTheDelayIsUpdatedOnceOnly() {
		// what PostgreSQL itself sees: a trigger records every update of the test's rows
		this.jdbc.sql("CREATE TABLE group_commit_test_updates (id UUID, status TEXT)").update();
		this.jdbc.sql("""
				CREATE FUNCTION group_commit_test_record() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN INSERT INTO group_commit_test_updates VALUES (NEW.id, NEW.status); RETURN NEW; END $$""")
			.update();
		this.jdbc.sql("""
				CREATE TRIGGER group_commit_test_updates AFTER UPDATE ON event_publication FOR EACH ROW
				WHEN (NEW.listener_id = 'group-commit-test') EXECUTE FUNCTION group_commit_test_record()""").update();
		UUID id = insert("PUBLISHED");
		UUID other = insert("PUBLISHED");

		this.repository.markProcessing(id);
		// the writer writes in order: once a completion queued after the processing mark
		// is written, a mark queued at once would have been too
		this.repository.markCompleted(other, Instant.now());
		awaitStatus(other, "COMPLETED");
		this.repository.markCompleted(id, Instant.now());
		awaitStatus(id, "COMPLETED");

		// nor is it written when its delay has passed
		await().during(PROCESSING_MARK_DELAY.multipliedBy(2))
			.atMost(PROCESSING_MARK_DELAY.multipliedBy(3))
			.until(() -> updates(id).equals(List.of("COMPLETED")));
	}

	@Test
	void aCompletionThatCannotBeWrittenLeavesThePublicationIncompleteAndTheOthersAreWritten() {
		GroupCommittedPublicationStates states = (GroupCommittedPublicationStates) this.repository;
		long unwrittenBefore = states.unwritten();
		UUID bad = insert("PUBLISHED");
		UUID good = insert("PUBLISHED");
		// a date PostgreSQL cannot store fails the transaction it is in
		Instant unstorable = Instant.parse("+300000-01-01T00:00:00Z");

		this.repository.markCompleted(bad, unstorable);
		this.repository.markCompleted(good, Instant.now());

		awaitStatus(good, "COMPLETED");
		assertThat(states.unwritten() - unwrittenBefore).isEqualTo(1);
		assertThat(status(bad)).isEqualTo("PUBLISHED");
		// still incomplete, so the registry resubmits it
		assertThat(this.repository.findIncompletePublications())
			.anySatisfy((publication) -> assertThat(publication.getIdentifier()).isEqualTo(bad));

		this.repository.markCompleted(bad, Instant.now());
		awaitStatus(bad, "COMPLETED");
	}

	@AfterEach
	void deleteTheTestsRows() {
		this.jdbc.sql("DROP TRIGGER IF EXISTS group_commit_test_updates ON event_publication").update();
		this.jdbc.sql("DROP FUNCTION IF EXISTS group_commit_test_record()").update();
		this.jdbc.sql("DROP TABLE IF EXISTS group_commit_test_updates").update();
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

	private void awaitStatus(UUID id, String status) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status(id)).isEqualTo(status));
	}

	private List<String> updates(UUID id) {
		return this.jdbc.sql("SELECT status FROM group_commit_test_updates WHERE id = ?")
			.param(id)
			.query(String.class)
			.list();
	}

	private String status(UUID id) {
		return this.jdbc.sql("SELECT status FROM event_publication WHERE id = ?")
			.param(id)
			.query(String.class)
			.single();
	}

}
