package dev.stranglerkit.gateway;

import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Every service's instance list: from Eureka, cached (config-repo's load-balancer cache),
 * without the instances {@link Ejections} took out of rotation. The load balancer's
 * per-service configuration ({@code @LoadBalancerClients}): not a {@code @Configuration},
 * nor nested in one, so that it is not picked up by the application's own context.
 */
class EjectingInstanceLists {

	@Bean
	ServiceInstanceListSupplier kitEjectingInstanceListSupplier(ConfigurableApplicationContext context,
			Ejections ejections) {
		ServiceInstanceListSupplier delegate = ServiceInstanceListSupplier.builder()
			.withDiscoveryClient()
			.withCaching()
			.build(context);
		return new DelegatingServiceInstanceListSupplier(delegate) {

			@Override
			public Flux<List<ServiceInstance>> get() {
				return getDelegate().get().map(ejections::inRotation);
			}

			@Override
			public Flux<List<ServiceInstance>> get(Request request) {
				return getDelegate().get(request).map(ejections::inRotation);
			}

		};
	}

}
