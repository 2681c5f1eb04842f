package dev.stranglerkit.messaging;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * For every application of the kit that decides by {@link Ownership}: the
 * {@link OwnershipEndpoint}, when the application exposes it
 * ({@code management.endpoints.web.exposure.include: ...,ownership}), and in a web
 * application the 503 problem of a request made while the ownership is not confirmed
 * ({@link OwnershipProblems}).
 */
@AutoConfiguration
public class OwnershipAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	OwnershipEndpoint ownershipEndpoint(Environment environment) {
		return new OwnershipEndpoint(environment);
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
