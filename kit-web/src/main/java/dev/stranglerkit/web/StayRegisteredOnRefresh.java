package dev.stranglerkit.web;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Keeps an application in the registry while its configuration is refreshed. Spring Cloud
 * Netflix re-registers an application with Eureka on every refresh (in case its metadata
 * changed): it marks the instance DOWN, then UP, and Eureka's client pushes the second
 * change only at its next heartbeat, after its rate limiter. Every change of config-repo
 * that reaches the monolith (an ownership handoff, say) thus took it out of the gateway's
 * rotation for a second or more, and the orders sent meanwhile got 503 (seen in the
 * inventory cutover test). The kit's applications change no Eureka metadata at runtime,
 * so this removes that listener.
 */
@AutoConfiguration
@ConditionalOnClass(name = StayRegisteredOnRefresh.REFRESHER)
public class StayRegisteredOnRefresh {

	static final String REFRESHER = "org.springframework.cloud.netflix.eureka.EurekaDiscoveryClientConfiguration$EurekaClientConfigurationRefresher";

	@Bean
	static BeanDefinitionRegistryPostProcessor kitStayRegisteredOnRefresh() {
		return (BeanDefinitionRegistry registry) -> {
			for (String name : registry.getBeanDefinitionNames()) {
				BeanDefinition definition = registry.getBeanDefinition(name);
				if (REFRESHER.equals(definition.getBeanClassName())) {
					registry.removeBeanDefinition(name);
				}
			}
		};
	}

}
