package dev.stranglerkit.ownership;

import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * For every application of the kit that decides by {@link Ownership}: the handoffs
 * ({@link OwnershipProperties}) and the {@link Ownership} that answers from them; the
 * {@link OwnershipHold} of kit-messaging's consumer while the ownership is not confirmed;
 * the {@link OwnershipEndpoint}, when the application exposes it
 * ({@code management.endpoints.web.exposure.include: ...,ownership}); and in a web
 * application the 503 problem of a request made while the ownership is not confirmed
 * ({@link OwnershipProblems}).
 */
@AutoConfiguration
@EnableConfigurationProperties(OwnershipProperties.class)
public class OwnershipAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Ownership ownership(OwnershipProperties properties, Environment environment) {
		return new Ownership(properties, environment);
	}

	@Bean
	OwnershipHold ownershipHold(Ownership ownership,
			@Qualifier("kitInboundMessages") ObjectProvider<AbstractMessageListenerContainer> consumer) {
		return new OwnershipHold(ownership, consumer);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	OwnershipEndpoint ownershipEndpoint(OwnershipProperties properties) {
		return new OwnershipEndpoint(properties);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.web.bind.annotation.RestControllerAdvice")
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class Problems {

		@Bean
		OwnershipProblems kitOwnershipProblems() {
			return new OwnershipProblems();
		}

	}

}
