package dev.stranglerkit.web;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Auto-configures the {@code Idempotency-Key} of writes ({@link IdempotencyKeyFilter})
 * for any servlet application with a {@link DataSource} and its transaction manager: the
 * table {@code kit_idempotent_request} in the application's default schema (as
 * kit-messaging's {@code kit_processed_message}), the filter, and the cleanup of expired
 * keys. {@code kit.web.idempotency.enabled=false} switches it off.
 */
@AutoConfiguration(after = { DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(JdbcClient.class)
@ConditionalOnBean({ DataSource.class, PlatformTransactionManager.class })
@ConditionalOnBooleanProperty(name = "kit.web.idempotency.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdempotencyProperties.class)
public class IdempotencyAutoConfiguration {

	/**
	 * After Boot's own filters (character encoding, observation, form content), so the
	 * request is traced and decoded as usual; before the dispatcher, which it wraps in
	 * its transaction.
	 */
	static final int FILTER_ORDER = 0;

	@Bean
	InitializingBean kitIdempotentRequestSchema(DataSource dataSource) {
		return () -> new ResourceDatabasePopulator(new ClassPathResource("kit-web/schema-postgresql.sql"))
			.execute(dataSource);
	}

	@Bean
	IdempotentRequests kitIdempotentRequests(DataSource dataSource) {
		return new IdempotentRequests(JdbcClient.create(dataSource));
	}

	@Bean
	FilterRegistrationBean<IdempotencyKeyFilter> kitIdempotencyKeyFilter(IdempotentRequests requests,
			PlatformTransactionManager transactionManager, IdempotencyProperties properties, JsonMapper json,
			ObjectProvider<MeterRegistry> meters) {
		IdempotencyKeyFilter filter = new IdempotencyKeyFilter(requests, new TransactionTemplate(transactionManager),
				properties, json, meters.getIfAvailable(() -> Metrics.globalRegistry));
		FilterRegistrationBean<IdempotencyKeyFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(FILTER_ORDER);
		return registration;
	}

	@Bean
	IdempotencyKeyCleanup kitIdempotencyKeyCleanup(IdempotentRequests requests, IdempotencyProperties properties,
			ObjectProvider<MeterRegistry> meters) {
		return new IdempotencyKeyCleanup(requests, properties, meters.getIfAvailable(() -> Metrics.globalRegistry));
	}

}
