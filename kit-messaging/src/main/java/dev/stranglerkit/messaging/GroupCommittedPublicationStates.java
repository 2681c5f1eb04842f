package dev.stranglerkit.messaging;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.modulith.events.EventPublication.Status;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.modulith.events.jdbc.JdbcRepositorySettings;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ClassUtils;

/**
 * Writes the state changes of event publications that follow every event, the
 * {@code PROCESSING} mark before the relay sends and the {@code COMPLETED} mark after the
 * broker confirmed, in shared transactions (group commit) instead of one transaction
 * each; and it picks and claims the failed publications a resubmission round sends again
 * ({@link FailedPublicationClaims}: each backs off on its own, a whole batch is claimed
 * in one statement). Everything else goes to Spring Modulith's JDBC repository unchanged.
 * <p>
 * Without it every event costs three commits: its insert in the business transaction,
 * then one for each mark; the marks' commits, and the relay's threads waiting for them,
 * then cap the outbox's throughput ({@code benchmarks/results/outbox.md} measures it).
 * <ul>
 * <li>Both marks are queued, and the call returns at once. The registry calls them in a
 * transaction of its own ({@code REQUIRES_NEW}), which holds a pooled connection: a
 * caller that waited for the writer's commit would hold that connection meanwhile, and
 * with enough of them waiting, the writer found no connection for the commit they waited
 * for. A completion that is not written (the database failed, the application died first)
 * leaves the publication incomplete in the database, so it is resubmitted and the message
 * sent again, which consumers make harmless: nothing is lost, at worst a message is
 * delivered twice. The application's shutdown writes what is queued.</li>
 * <li>A processing mark only tells the staleness check which timeout applies (the kit
 * gives both the same). It is held back for {@link #PROCESSING_MARK_DELAY} and written
 * only if the publication is still in flight by then: a publication that the broker
 * confirms within that time (nearly all of them) costs one update instead of two. With
 * Modulith's indexes on {@code completion_date} and the serialized event, every update
 * writes a new row version and three index entries, about as much as the insert itself. A
 * processing mark never moves a publication back: it applies only to one still published
 * or resubmitted, so a mark written late cannot hide a completion or a failure. When a
 * publication's completion is in the same batch, its processing mark is not written at
 * all.</li>
 * </ul>
 * One writer thread takes whatever has queued up while the previous batch was being
 * written, so an idle system writes each mark at once and a busy one writes many per
 * commit. A batch that fails is written again one mark per transaction, so that one bad
 * mark does not keep the others from being written. Only for Modulith's current table
 * structure with completion by update (the kit's configuration); anything else is left to
 * Modulith's repository.
 */
final class GroupCommittedPublicationStates implements EventPublicationRepository {

	private static final Logger log = LoggerFactory.getLogger(GroupCommittedPublicationStates.class);

	/** The most marks one transaction writes. */
	static final int MAX_BATCH = 500;

	/** How long a processing mark waits for its publication's completion. */
	static final Duration PROCESSING_MARK_DELAY = Duration.ofSeconds(1);

	/** How long the application's shutdown waits for the queued marks at most. */
	static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	private final EventPublicationRepository delegate;

	private final FailedPublicationClaims claims;

	private final JdbcOperations jdbc;

	private final TransactionOperations transactions;

	private final String markCompleted;

	private final String markProcessing;

	private final LongAdder transactionCount = new LongAdder();

	private final LongAdder unwritten = new LongAdder();

	/** Processing marks held back, by publication: when each is due. */
	private final Map<UUID, Long> heldBack = new ConcurrentHashMap<>();

	private final ScheduledExecutorService delay;

	private final BatchingThread<Mark> writer;

	private volatile boolean stopped;

	GroupCommittedPublicationStates(EventPublicationRepository delegate, JdbcOperations jdbc,
			TransactionOperations transactions, String table, FailedPublicationClaims claims) {
		this.delegate = delegate;
		this.claims = claims;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.markCompleted = "UPDATE " + table + " SET status = 'COMPLETED', completion_date = ? WHERE id = ?";
		this.markProcessing = "UPDATE " + table
				+ " SET status = 'PROCESSING' WHERE id = ? AND completion_date IS NULL AND status IN ('PUBLISHED', 'RESUBMITTED')";
		this.writer = new BatchingThread<>("kit-publication-states", MAX_BATCH, this::writeBatch);
		this.delay = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("kit-processing-marks").factory());
		long period = PROCESSING_MARK_DELAY.toMillis() / 4;
		this.delay.scheduleWithFixedDelay(() -> releaseHeldBack(false), period, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public void markProcessing(UUID identifier) {
		if (this.stopped) {
			this.delegate.markProcessing(identifier);
			return;
		}
		this.heldBack.put(identifier, System.nanoTime() + PROCESSING_MARK_DELAY.toNanos());
	}

	@Override
	public void markCompleted(UUID identifier, Instant completionDate) {
		this.heldBack.remove(identifier);
		if (!this.writer.add(new Mark(identifier, completionDate))) {
			this.delegate.markCompleted(identifier, completionDate);
		}
	}

	/**
	 * Writes these completions at once, in one transaction, and returns when it
	 * committed: the CDC relay advances its position in the log only after its
	 * publications are completed.
	 * @return the publications no row was found for: PostgreSQL writes a transaction's
	 * commit to the log, where logical decoding may read it, a moment before other
	 * sessions see the transaction's rows, so the CDC relay may come to complete a
	 * publication its reader cannot see yet
	 * @throws org.springframework.dao.DataAccessException if they could not be written
	 */
	List<UUID> completeNow(List<UUID> identifiers, Instant completionDate) {
		if (identifiers.isEmpty()) {
			return List.of();
		}
		identifiers.forEach(this.heldBack::remove);
		List<Object[]> completions = identifiers.stream()
			.map((identifier) -> new Object[] { Timestamp.from(completionDate), identifier })
			.toList();
		int[] updated = Objects
			.requireNonNull(this.transactions.execute((tx) -> this.jdbc.batchUpdate(this.markCompleted, completions)));
		this.transactionCount.increment();
		List<UUID> missing = new ArrayList<>();
		for (int i = 0; i < identifiers.size(); i++) {
			if (updated[i] == 0) {
				missing.add(identifiers.get(i));
			}
		}
		return missing;
	}

	@Override
	public void markCompleted(TargetEventPublication publication, Instant completionDate) {
		markCompleted(publication.getIdentifier(), completionDate);
	}

	/**
	 * @return how many transactions have written marks so far (for the tests)
	 */
	long transactions() {
		return this.transactionCount.sum();
	}

	/**
	 * @return how many marks could not be written so far (for the tests)
	 */
	long unwritten() {
		return this.unwritten.sum();
	}

	/**
	 * @return how many processing marks are held back (for the tests)
	 */
	int heldBack() {
		return this.heldBack.size();
	}

	/**
	 * Queues the held-back processing marks that are due (all of them when the
	 * application stops); a completion that comes after this still wins.
	 */
	private void releaseHeldBack(boolean all) {
		long now = System.nanoTime();
		this.heldBack.forEach((identifier, due) -> {
			if ((all || now - due >= 0) && this.heldBack.remove(identifier, due)) {
				this.writer.add(new Mark(identifier, null));
			}
		});
	}

	private void writeBatch(List<Mark> batch) {
		try {
			write(batch);
		}
		catch (RuntimeException batchFailure) {
			if (batch.size() == 1) {
				notWritten(batch.get(0), batchFailure);
				return;
			}
			for (Mark mark : batch) {
				try {
					write(List.of(mark));
				}
				catch (RuntimeException ex) {
					notWritten(mark, ex);
				}
			}
		}
	}

	private void notWritten(Mark mark, RuntimeException failure) {
		this.unwritten.increment();
		if (mark.completes()) {
			log.warn(
					"Could not write the completion of publication {}; it stays incomplete and will be resubmitted: {}",
					mark.identifier(), failure.toString());
		}
		else {
			log.debug("Could not write the processing mark of publication {}: {}", mark.identifier(),
					failure.toString());
		}
	}

	private void write(List<Mark> batch) {
		// the last word on each publication: a completion wins over a processing mark
		Map<UUID, Mark> latest = new LinkedHashMap<>();
		batch.forEach((mark) -> latest.merge(mark.identifier(), mark,
				(earlier, later) -> earlier.completes() ? earlier : later));
		List<Object[]> completions = new ArrayList<>();
		List<Object[]> processing = new ArrayList<>();
		latest.values().forEach((mark) -> {
			if (mark.completes()) {
				completions.add(new Object[] { Timestamp.from(mark.completionDate()), mark.identifier() });
			}
			else {
				processing.add(new Object[] { mark.identifier() });
			}
		});
		this.transactions.executeWithoutResult((tx) -> {
			if (!completions.isEmpty()) {
				this.jdbc.batchUpdate(this.markCompleted, completions);
			}
			if (!processing.isEmpty()) {
				this.jdbc.batchUpdate(this.markProcessing, processing);
			}
		});
		this.transactionCount.increment();
	}

	/**
	 * Writes what is queued, then stops the writer; a mark asked for after this goes
	 * straight to Modulith's repository.
	 */
	void stop() throws InterruptedException {
		this.stopped = true;
		this.delay.shutdownNow();
		releaseHeldBack(true);
		List<Mark> left = this.writer.stop(SHUTDOWN_TIMEOUT);
		if (!left.isEmpty()) {
			writeBatch(left);
		}
	}

	// Everything else: Modulith's repository, as it is.

	@Override
	public TargetEventPublication create(TargetEventPublication publication) {
		return this.delegate.create(publication);
	}

	@Override
	public void markCompleted(Object event, PublicationTargetIdentifier identifier, Instant completionDate) {
		this.delegate.markCompleted(event, identifier, completionDate);
	}

	@Override
	public void markFailed(UUID identifier) {
		this.heldBack.remove(identifier);
		this.delegate.markFailed(identifier);
	}

	@Override
	public boolean markResubmitted(UUID identifier, Instant resubmissionDate) {
		return this.claims.claimedByThisInstance(identifier)
				|| this.delegate.markResubmitted(identifier, resubmissionDate);
	}

	@Override
	public List<TargetEventPublication> findIncompletePublications() {
		return this.delegate.findIncompletePublications();
	}

	@Override
	public List<TargetEventPublication> findIncompletePublicationsPublishedBefore(Instant instant) {
		return this.delegate.findIncompletePublicationsPublishedBefore(instant);
	}

	@Override
	public Optional<TargetEventPublication> findIncompletePublicationsByEventAndTargetIdentifier(Object event,
			PublicationTargetIdentifier targetIdentifier) {
		return this.delegate.findIncompletePublicationsByEventAndTargetIdentifier(event, targetIdentifier);
	}

	@Override
	public List<TargetEventPublication> findCompletedPublications() {
		return this.delegate.findCompletedPublications();
	}

	@Override
	public void deletePublications(List<UUID> identifiers) {
		this.delegate.deletePublications(identifiers);
	}

	@Override
	public void deleteCompletedPublications() {
		this.delegate.deleteCompletedPublications();
	}

	@Override
	public void deleteCompletedPublicationsBefore(Instant instant) {
		this.delegate.deleteCompletedPublicationsBefore(instant);
	}

	@Override
	public List<TargetEventPublication> findFailedPublications(FailedCriteria criteria) {
		return this.claims.claim(criteria);
	}

	@Override
	public List<TargetEventPublication> findByStatus(Status status) {
		return this.delegate.findByStatus(status);
	}

	@Override
	public int countByStatus(Status status) {
		return (status == Status.COMPLETED) ? this.delegate.countByStatus(status) : this.claims.countIncomplete(status);
	}

	/**
	 * Puts the group commit in front of Modulith's JDBC repository where it applies (the
	 * current table structure, completion by update), and stops its writer when the
	 * application closes, after the registry stopped using it.
	 */
	static final class Installer implements BeanPostProcessor, PriorityOrdered, BeanFactoryAware, DisposableBean {

		private static final String CURRENT_STRUCTURE = "org.springframework.modulith.events.jdbc.JdbcEventPublicationRepositoryV2";

		private final List<GroupCommittedPublicationStates> installed = new ArrayList<>();

		private @Nullable BeanFactory beans;

		/**
		 * Ahead of the other post-processors: Modulith's completion advisor, which the
		 * auto-proxy creator picks up, needs the registry, so the repository is made
		 * while the ordered post-processors are set up.
		 */
		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.beans = beanFactory;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			// (Modulith's class is not public)
			if (!(bean instanceof EventPublicationRepository repository)
					|| !ClassUtils.getUserClass(bean).getName().equals(CURRENT_STRUCTURE) || this.beans == null) {
				return bean;
			}
			JdbcRepositorySettings settings = this.beans.getBean(JdbcRepositorySettings.class);
			if (!settings.isUpdateCompletion()) {
				return bean;
			}
			String schema = settings.getSchema();
			String table = ((schema != null && !schema.isBlank()) ? schema + "." : "") + "event_publication";
			JdbcOperations jdbc = this.beans.getBean(JdbcOperations.class);
			MessagingProperties.Resubmission resubmission = this.beans.getBean(MessagingProperties.class)
				.resubmission();
			FailedPublicationClaims claims = new FailedPublicationClaims(jdbc, table,
					this.beans.getBean(EventSerializer.class), ClassUtils.getDefaultClassLoader(),
					resubmission.backoff(), resubmission.maxBackoff(), this.beans.getBean(BrokerRecovery.class));
			GroupCommittedPublicationStates states = new GroupCommittedPublicationStates(repository, jdbc,
					new TransactionTemplate(this.beans.getBean(PlatformTransactionManager.class)), table, claims);
			this.installed.add(states);
			return states;
		}

		@Override
		public void destroy() throws InterruptedException {
			for (GroupCommittedPublicationStates states : this.installed) {
				states.stop();
			}
		}

	}

	/**
	 * A state change: a completion (with its date) or a processing mark.
	 */
	private record Mark(UUID identifier, @Nullable Instant completionDate) {

		boolean completes() {
			return this.completionDate != null;
		}

	}

}
