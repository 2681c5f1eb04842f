package dev.stranglerkit.messaging;

import java.time.Instant;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;

/**
 * The outbox's write with the CDC relay: the publication of each event that leaves the
 * process, written in the transaction that publishes the event (the listener runs in the
 * publisher's thread and transaction), in the same table and form as the outbox relay's,
 * under {@link CdcRelay#LISTENER_ID}. It commits or rolls back with the business change;
 * the relay reads it from the log once committed.
 */
final class CdcOutbox {

	private static final PublicationTargetIdentifier TARGET = PublicationTargetIdentifier.of(CdcRelay.LISTENER_ID);

	private final EventExternalizationConfiguration configuration;

	private final EventPublicationRepository publications;

	CdcOutbox(EventExternalizationConfiguration configuration, EventPublicationRepository publications) {
		this.configuration = configuration;
		this.publications = publications;
	}

	@EventListener
	public void write(Object event) {
		if (event instanceof ApplicationEvent || !this.configuration.supports(event)) {
			return;
		}
		this.publications.create(TargetEventPublication.of(event, TARGET, Instant.now()));
	}

}
