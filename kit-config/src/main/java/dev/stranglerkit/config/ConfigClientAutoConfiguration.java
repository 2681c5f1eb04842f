package dev.stranglerkit.config;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The {@link LastKnownConfiguration} of an application that takes its configuration from
 * the config server ({@code spring.cloud.config.enabled}, true unless turned off).
 */
@AutoConfiguration(after = RefreshAutoConfiguration.class)
@ConditionalOnProperty(name = "spring.cloud.config.enabled", matchIfMissing = true)
public class ConfigClientAutoConfiguration {

	@Bean
	@ConditionalOnBean(ContextRefresher.class)
	LastKnownConfiguration configOrigin(ConfigurableEnvironment environment, ContextRefresher refresher) {
		return new LastKnownConfiguration(environment, refresher);
	}

}
