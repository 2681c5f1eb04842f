package dev.stranglerkit.configserver;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.bus.BusProperties;
import org.springframework.cloud.bus.event.PathDestinationFactory;
import org.springframework.cloud.bus.event.RefreshRemoteApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sends one refresh addressed to no application right after start-up. The bus binds its
 * output and opens its publishing connection on the first message, which cost about half
 * a second of the first route switch here; sent at start, every switch pays only for the
 * message itself. Every application ignores a refresh not addressed to it.
 */
@Component
class BusWarmUp {

	static final String NOBODY = "kit-bus-warm-up";

	private final ApplicationEventPublisher events;

	private final BusProperties bus;

	BusWarmUp(ApplicationEventPublisher events, BusProperties bus) {
		this.events = events;
		this.bus = bus;
	}

	@EventListener(ApplicationReadyEvent.class)
	void warmUp() {
		this.events.publishEvent(new RefreshRemoteApplicationEvent(this, this.bus.getId(),
				new PathDestinationFactory().getDestination(NOBODY)));
	}

}
