package dev.stranglerkit.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.Externalized;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.modulith.events.config.EventExternalizationAutoConfiguration;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.modulith.events.jdbc.JdbcRepositorySettings;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Auto-configures the kit's messaging for any application that has Spring Modulith's JDBC
 * event publication registry, RabbitMQ and PostgreSQL: the topology of
 * {@code kit.messaging.subscriptions}, the confirming outbox relay for
 * {@code @Externalized} {@link IntegrationEvent}s, the resubmission of incomplete
 * publications, the outbox metrics, and, when {@code kit.messaging.consumer.queue} is set
 * and a {@link MessageHandlers} bean exists, the idempotent consumer of that queue.
 */
@AutoConfiguration(before = EventExternalizationAutoConfiguration.class,
		beforeName = "org.springframework.modulith.events.jackson.JacksonEventSerializationConfiguration",
		// after the task executor's: the relay's executor must not stand in for the
		// application's (Boot makes one only when there is no executor yet)
		after = { RabbitAutoConfiguration.class, DataSourceAutoConfiguration.class,
				TaskExecutionAutoConfiguration.class })
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

	/**
	 * Each event type's routing, from its {@code @Externalized}, worked out once per type
	 * (Modulith asks for every event published, several times).
	 */
	private static final ClassValue<Optional<RoutingTarget>> ROUTING = new ClassValue<>() {

		@Override
		protected Optional<RoutingTarget> computeValue(Class<?> type) {
			Externalized externalized = AnnotatedElementUtils.findMergedAnnotation(type, Externalized.class);
			if (externalized == null) {
				return Optional.empty();
			}
			String[] targetAndKey = externalized.value().split("::", 2);
			return Optional
				.of(RoutingTarget.forTarget(targetAndKey[0]).andKey((targetAndKey.length > 1) ? targetAndKey[1] : ""));
		}

	};

	@Bean
	Declarables kitMessagingTopology(MessagingProperties properties) {
		List<Declarable> topology = new ArrayList<>();
		TopicExchange events = ExchangeBuilder.topicExchange(properties.exchange()).durable(true).build();
		DirectExchange deadLetters = ExchangeBuilder.directExchange(properties.deadLetterExchange())
			.durable(true)
			.build();
		topology.add(events);
		topology.add(deadLetters);
		properties.subscriptions().forEach((name, routingKeys) -> {
			if (routingKeys.isEmpty()) {
				return; // a subscription switched off (tests leave the landscape's queues
						// alone)
			}
			Queue queue = QueueBuilder.durable(name)
				.deadLetterExchange(deadLetters.getName())
				.deadLetterRoutingKey(name)
				.build();
			Queue deadLetterQueue = QueueBuilder.durable(MessagingProperties.deadLetterQueue(name)).build();
			// Messages that are not ready yet wait here, then expire back into the queue
			// through the default exchange.
			Queue waitQueue = QueueBuilder.durable(MessagingProperties.waitQueue(name))
				.ttl((int) properties.consumer().deferral().toMillis())
				.deadLetterExchange("")
				.deadLetterRoutingKey(name)
				.build();
			// Messages whose handler failed wait here, then go back the same way. Their
			// delay is set per message (all messages get the same, so they expire in
			// order): a queue's arguments cannot change, the retry delay can.
			Queue retryQueue = QueueBuilder.durable(MessagingProperties.retryQueue(name))
				.deadLetterExchange("")
				.deadLetterRoutingKey(name)
				.build();
			topology.add(queue);
			topology.add(deadLetterQueue);
			topology.add(waitQueue);
			topology.add(retryQueue);
			topology.add(BindingBuilder.bind(deadLetterQueue).to(deadLetters).with(name));
			routingKeys.forEach((key) -> topology.add(BindingBuilder.bind(queue).to(events).with(key)));
		});
		return new Declarables(topology);
	}

	/**
	 * Externalizes the {@code @Externalized} events whose routing key some subscription
	 * wants, with the key the annotation names
	 * ({@code "shop.events::orders.OrderPlaced"}), to the exchange
	 * {@code kit.messaging.exchange} names (by default the annotation's).
	 */
	@Bean
	EventExternalizationConfiguration eventExternalizationConfiguration(MessagingProperties properties) {
		Subscriptions subscriptions = new Subscriptions(properties.subscriptions());
		return EventExternalizationConfiguration.externalizing()
			.select((event) -> routingOf(event).map(RoutingTarget::getKey)
				.filter((key) -> key != null && subscriptions.anyMatches(key))
				.isPresent())
			// the key is the contract's; the exchange is configuration (tests use one of
			// their own)
			.routeAll((event) -> RoutingTarget.forTarget(properties.exchange())
				.andKey(routingOf(event).orElseThrow().getKey()))
			.build();
	}

	private static Optional<RoutingTarget> routingOf(Object event) {
		return ROUTING.get(event.getClass());
	}

	/**
	 * How the registry stores events: as Modulith's Jackson serializer does, with the
	 * application's {@link JsonMapper}, but looked up once instead of for every event
	 * (Modulith's lookup was 7 % of the outbox benchmark's profile).
	 */
	@Bean
	EventSerializer kitEventSerializer(JsonMapper json) {
		return new JsonEventSerializer(json);
	}

	@Bean
	Envelopes kitMessageEnvelopes(JsonMapper json, Environment environment, ObjectProvider<Tracer> tracer) {
		return new Envelopes(json, environment.getRequiredProperty("spring.application.name"), tracer);
	}

	@Bean(destroyMethod = "destroy")
	ConfirmingPublisher kitConfirmingPublisher(RabbitConnectionFactoryBeanConfigurer connectionFactoryBean,
			CachingConnectionFactoryConfigurer cachingConnectionFactory,
			ObjectProvider<ConnectionFactoryCustomizer> customizers, ApplicationContext context) throws Exception {
		return ConfirmingPublisher.create(connectionFactoryBean, cachingConnectionFactory, customizers, context);
	}

	@Bean
	ConfirmingRabbitTransport kitConfirmingRabbitTransport(ConfirmingPublisher publisher, Envelopes envelopes,
			MessagingProperties properties, BrokerRecovery broker, Environment environment) {
		ConfirmingRabbitTransport.requireStalenessAboveConfirmTimeout(environment,
				properties.outbox().confirmTimeout());
		return new ConfirmingRabbitTransport(publisher.template(), envelopes, properties.outbox().confirmTimeout(),
				Executors.newVirtualThreadPerTaskExecutor(), broker);
	}

	/** Static: the group commit's installer, a post-processor, needs it early. */
	@Bean
	static BrokerRecovery kitBrokerRecovery() {
		return new BrokerRecovery();
	}

	/** The outbox relay: a listener on the event publication registry. */
	@Bean
	@ConditionalOnProperty(name = "kit.messaging.relay", havingValue = "outbox", matchIfMissing = true)
	OutboxRelay kitOutboxRelay(EventExternalizationConfiguration configuration, ConfirmingRabbitTransport transport) {
		return new OutboxRelay(configuration, transport);
	}

	/**
	 * With the outbox relay, what an earlier run with the CDC relay left: its undelivered
	 * publications, and its replication slot (which would keep the log).
	 */
	@Bean
	@ConditionalOnProperty(name = "kit.messaging.relay", havingValue = "outbox", matchIfMissing = true)
	ApplicationListener<ApplicationStartedEvent> kitRelayHandoverToOutbox(JdbcClient jdbc,
			JdbcRepositorySettings repository, MessagingProperties properties, DataSourceProperties dataSource) {
		return (started) -> RelayHandover.toOutbox(jdbc, RelayHandover.table(repository.getSchema()),
				properties.cdc().slotFor(connection(dataSource).database()));
	}

	private static LogSource connection(DataSourceProperties dataSource) {
		return new LogSource(dataSource.determineUrl(), dataSource.determineUsername(), dataSource.determinePassword());
	}

	/** The publications the CDC relay sends, written in the business transaction. */
	@Bean
	@ConditionalOnProperty(name = "kit.messaging.relay", havingValue = "cdc")
	CdcOutbox kitCdcOutbox(EventExternalizationConfiguration configuration, EventPublicationRepository publications) {
		return new CdcOutbox(configuration, publications);
	}

	/** The CDC relay: Debezium reads the outbox from the write-ahead log. */
	@Bean
	@ConditionalOnProperty(name = "kit.messaging.relay", havingValue = "cdc")
	CdcRelay kitCdcRelay(DataSourceProperties dataSource, JdbcRepositorySettings repository, Environment environment,
			MessagingProperties properties, JdbcClient jdbc, EventSerializer serializer,
			EventExternalizationConfiguration configuration, ConfirmingRabbitTransport transport,
			EventPublicationRepository publications) {
		return new CdcRelay(connection(dataSource), repository.getSchema(),
				environment.getRequiredProperty("spring.application.name"), properties.cdc(), jdbc, serializer,
				configuration, transport, publications);
	}

	/**
	 * The relay's executor: a virtual thread per message, which waits for the broker's
	 * confirm. It carries the context along as the application's task executor does
	 * ({@code spring.task.execution.propagate-context}), so a message's traceparent is
	 * the trace that published it.
	 */
	@Bean(name = OutboxRelay.EXECUTOR, destroyMethod = "close")
	SimpleAsyncTaskExecutor kitOutboxRelayExecutor(ObjectProvider<TaskDecorator> taskDecorator) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("kit-outbox-relay-");
		executor.setVirtualThreads(true);
		taskDecorator.ifUnique(executor::setTaskDecorator);
		return executor;
	}

	/** The outbox's state changes in shared transactions (group commit). */
	@Bean
	static GroupCommittedPublicationStates.Installer kitGroupCommittedPublicationStates() {
		return new GroupCommittedPublicationStates.Installer();
	}

	@Bean
	PublicationResubmission kitPublicationResubmission(FailedEventPublications failed, MessagingProperties properties,
			ConfirmingRabbitTransport transport) {
		return new PublicationResubmission(failed, properties.resubmission(), transport::inFlight);
	}

	@Bean
	Retention kitRetention(JdbcClient jdbc, MessagingProperties properties, MeterRegistry meters) {
		return new Retention(jdbc, properties.retention(), meters);
	}

	@Bean
	OutboxMetrics kitOutboxMetrics(JdbcClient jdbc, AmqpAdmin admin, MessagingProperties properties,
			ObjectProvider<CdcRelay> cdc) {
		return new OutboxMetrics(jdbc, admin, properties, cdc.getIfAvailable());
	}

	@Bean
	InitializingBean kitProcessedMessageSchema(DataSource dataSource) {
		return () -> new ResourceDatabasePopulator(new ClassPathResource("kit-messaging/schema-postgresql.sql"))
			.execute(dataSource);
	}

	@Bean
	@ConditionalOnProperty("kit.messaging.consumer.queue")
	@ConditionalOnBean(MessageHandlers.class)
	SimpleMessageListenerContainer kitInboundMessages(ConnectionFactory connectionFactory,
			MessagingProperties properties, ObjectProvider<MessageHandlers> handlers, Envelopes envelopes,
			JdbcClient jdbc, TransactionOperations transactions, MeterRegistry meters, ConfirmingPublisher publisher,
			ObjectProvider<ContainerCustomizer<SimpleMessageListenerContainer>> customizers) {
		MessagingProperties.Consumer consumer = properties.consumer();
		String queue = consumer.queue();
		if (!properties.subscriptions().containsKey(queue)) {
			throw new IllegalStateException(
					"kit.messaging.consumer.queue is '%s', but kit.messaging.subscriptions declares no such queue (it has %s)"
						.formatted(queue, properties.subscriptions().keySet()));
		}
		RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
			.excludes(MessageNotReadyException.class, InvalidMessageException.class)
			.maxRetries(consumer.maxAttempts() - 1)
			.delay(consumer.backoff())
			.multiplier(2)
			.build());
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
		container.setQueueNames(queue);
		container.setConcurrentConsumers(consumer.concurrency());
		container.setPrefetchCount(10);
		container.setDefaultRequeueRejected(false);
		container.setObservationEnabled(true);
		container.setMessageListener(
				new InboundMessageListener(queue, MessageHandlers.combine(handlers.orderedStream().toList()), envelopes,
						new ProcessedMessages(jdbc, transactions), retry, meters,
						Deferrals.notReady(publisher.template(), queue, properties),
						Deferrals.failing(publisher.template(), queue, properties)));
		// kit-ownership's hold, say: no start with the application while the ownership is
		// not
		// confirmed
		customizers.orderedStream().forEach((customizer) -> customizer.configure(container));
		return container;
	}

}
