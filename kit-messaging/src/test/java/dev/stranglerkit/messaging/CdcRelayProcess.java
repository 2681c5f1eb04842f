package dev.stranglerkit.messaging;

import dev.stranglerkit.messaging.MessagingTestApplication.ThingHappened;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The test application with the CDC relay, in a process of its own, so that a test can
 * kill it: {@code publish=N} as its first argument publishes N events, one transaction
 * each, and prints each event's id once its transaction committed.
 */
final class CdcRelayProcess {

	private CdcRelayProcess() {
	}

	public static void main(String[] args) {
		int publish = (args.length > 0 && args[0].startsWith("publish=")) ? Integer.parseInt(args[0].substring(8)) : 0;
		ConfigurableApplicationContext application = SpringApplication.run(MessagingTestApplication.class,
				"--spring.main.web-application-type=none", "--kit.messaging.relay=cdc",
				"--kit.messaging.cdc.slot=" + CdcRelayKillTests.SLOT);
		ApplicationEventPublisher events = application;
		TransactionTemplate transactions = application.getBean(TransactionTemplate.class);
		System.out.println("started");
		for (int i = 0; i < publish; i++) {
			ThingHappened event = new ThingHappened("killed mid-stream " + i);
			transactions.executeWithoutResult((tx) -> events.publishEvent(event));
			System.out.println("committed " + event.eventId());
		}
	}

}
