package dev.stranglerkit.messaging;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@link OwnershipEndpoint} for every application of the kit that decides by
 * {@link Ownership}, when the application exposes it
 * ({@code management.endpoints.web.exposure.include: ...,ownership}).
 */
@AutoConfiguration
public class OwnershipEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	OwnershipEndpoint ownershipEndpoint(Environment environment) {
		return new OwnershipEndpoint(environment);
	}

}
