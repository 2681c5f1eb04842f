package dev.stranglerkit.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs one configuration refresh right after start-up, in the background. The first
 * refresh in a JVM loads and compiles what a refresh needs (the config client, the
 * environment rebuild, the rebinding), so it is slower than the later ones: done at
 * start, the first real switch of a route is as fast as the rest. Nothing changes, so no
 * route moves. (It sends nothing on the bus: only the config server may publish there.)
 */
@Component
class RefreshWarmUp {

	private static final Logger log = LoggerFactory.getLogger(RefreshWarmUp.class);

	private final ContextRefresher refresher;

	RefreshWarmUp(ContextRefresher refresher) {
		this.refresher = refresher;
	}

	@EventListener(ApplicationReadyEvent.class)
	void warmUp() {
		Thread.ofVirtual().name("refresh-warm-up").start(() -> {
			long start = System.nanoTime();
			try {
				this.refresher.refresh();
				log.debug("Refresh warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
			}
			catch (RuntimeException ex) {
				log.warn("The warm-up refresh failed (the first switch of a route may take a second longer): {}",
						ex.toString());
			}
		});
	}

}
