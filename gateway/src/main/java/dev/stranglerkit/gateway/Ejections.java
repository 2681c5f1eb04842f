package dev.stranglerkit.gateway;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.stereotype.Component;

/**
 * Passive outlier detection: an instance that refuses a connection (its process is gone)
 * leaves every route's rotation at once, for {@link #EJECTED_FOR}, instead of staying in
 * it until Eureka's lease expires (about 10 s in the local landscape, minutes with
 * Eureka's defaults). The request that found it dead is retried on another instance
 * (reads; the route's Retry filter) or falls back to the monolith, and no later request
 * is sent to it. The last instance of a service is never ejected: with none left, a
 * request could only fail anyway.
 */
@Component
@LoadBalancerClients(defaultConfiguration = EjectingInstanceLists.class)
class Ejections implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

	private static final Logger log = LoggerFactory.getLogger(Ejections.class);

	/**
	 * longer than Eureka takes to drop a killed instance (config-repo/application.yml)
	 */
	static final Duration EJECTED_FOR = Duration.ofSeconds(20);

	/** host:port -> until when (System.nanoTime) */
	private final Map<String, Long> ejected = new ConcurrentHashMap<>();

	private final MeterRegistry meters;

	Ejections(MeterRegistry meters) {
		this.meters = meters;
	}

	@Override
	public void onStart(Request<Object> request) {
	}

	@Override
	public void onStartRequest(Request<Object> request, Response<ServiceInstance> response) {
	}

	@Override
	public void onComplete(CompletionContext<Object, ServiceInstance, Object> completion) {
		Response<ServiceInstance> response = completion.getLoadBalancerResponse();
		if (completion.status() == CompletionContext.Status.FAILED && refused(completion.getThrowable())
				&& response != null && response.hasServer()) {
			ServiceInstance instance = response.getServer();
			if (this.ejected.put(key(instance), System.nanoTime() + EJECTED_FOR.toNanos()) == null) {
				log.warn("{} at {}:{} refused a connection: out of rotation for {}", instance.getServiceId(),
						instance.getHost(), instance.getPort(), EJECTED_FOR);
				this.meters
					.counter("strangler.instances.ejected", "service", instance.getServiceId(), "instance",
							key(instance))
					.increment();
			}
		}
	}

	List<ServiceInstance> inRotation(List<ServiceInstance> instances) {
		long now = System.nanoTime();
		this.ejected.values().removeIf((until) -> until < now);
		List<ServiceInstance> healthy = instances.stream()
			.filter((instance) -> !this.ejected.containsKey(key(instance)))
			.toList();
		return healthy.isEmpty() ? instances : healthy;
	}

	private static boolean refused(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException) {
				return true;
			}
		}
		return false;
	}

	private static String key(ServiceInstance instance) {
		return instance.getHost() + ":" + instance.getPort();
	}

}
