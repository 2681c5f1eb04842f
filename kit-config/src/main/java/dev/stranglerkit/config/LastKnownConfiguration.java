package dev.stranglerkit.config;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The last known configuration of an application that may start from it
 * ({@link ConfigServerStart}, {@code kit.config.last-known.enabled}):
 * <ul>
 * <li>written whenever the application has its configuration from the config server (at
 * start and after every refresh): every property of the server's property sources, as the
 * application sees them, in one file;</li>
 * <li>the {@code configOrigin} health contributor says where the configuration came from:
 * UP either way (the application serves), with {@code source} {@code config-server} or
 * {@code last-known} (the file, when it was received, why);</li>
 * <li>while it runs on the last known configuration, it asks the server again every
 * {@code kit.config.last-known.poll} (5 s) with a refresh, and once the server has
 * answered it drops the last known configuration and takes the server's.</li>
 * </ul>
 */
class LastKnownConfiguration implements ApplicationListener<ApplicationEvent>, HealthIndicator, SmartLifecycle {

	private static final Log log = LogFactory.getLog(LastKnownConfiguration.class);

	private static final String SERVER_SOURCES = "configserver:";

	private final ConfigurableEnvironment environment;

	private final ContextRefresher refresher;

	private final ConfigServerStart.Settings settings;

	private final Duration poll;

	private volatile ScheduledExecutorService poller;

	LastKnownConfiguration(ConfigurableEnvironment environment, ContextRefresher refresher) {
		this.environment = environment;
		this.refresher = refresher;
		Binder binder = Binder.get(environment);
		this.settings = ConfigServerStart.Settings.of(binder);
		this.poll = binder.bind("kit.config.last-known.poll", Duration.class).orElse(Duration.ofSeconds(5));
		// made once the environment is complete: a configuration load from now on is a
		// refresh
		ConfigOrigin.loaded();
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationReadyEvent || event instanceof EnvironmentChangeEvent) {
			write();
		}
	}

	@Override
	public Health health() {
		ConfigOrigin origin = ConfigOrigin.current();
		if (origin == null || origin.fromServer()) {
			return Health.up().withDetail("source", "config-server").build();
		}
		return Health.up()
			.withDetail("source", "last-known")
			.withDetail("file", origin.lastKnown().toString())
			.withDetail("receivedAt", String.valueOf(origin.receivedAt()))
			.withDetail("why", origin.why())
			.build();
	}

	/** Writes what the config server gave, if it gave anything and there is a file. */
	synchronized void write() {
		Path file = this.settings.lastKnownFile();
		List<PropertySource<?>> fromServer = serverSources();
		if (file == null || fromServer.isEmpty()) {
			return;
		}
		Map<String, String> values = new LinkedHashMap<>();
		// highest precedence first: the first value of a name is the one in force
		for (PropertySource<?> source : fromServer) {
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					Object value = enumerable.getProperty(name);
					if (value != null) {
						values.putIfAbsent(name, value.toString());
					}
				}
			}
		}
		Properties properties = new Properties();
		properties.putAll(values);
		try {
			Files.createDirectories(file.getParent());
			Path written = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
			try (Writer writer = Files.newBufferedWriter(written)) {
				properties.store(writer, "The last configuration this application received from the config server");
			}
			Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			log.warn("Could not write the last known configuration " + file + ": " + ex.getMessage());
		}
	}

	private List<PropertySource<?>> serverSources() {
		List<PropertySource<?>> sources = new ArrayList<>();
		this.environment.getPropertySources()
			.stream()
			.filter((source) -> source.getName().startsWith(SERVER_SOURCES))
			.forEach(sources::add);
		return sources;
	}

	/** Asks the server again, and takes its configuration once it answers. */
	void askTheServer() {
		try {
			this.refresher.refresh();
		}
		catch (RuntimeException ex) {
			log.debug("The config server still does not answer: " + ex.getMessage());
		}
		if (serverSources().isEmpty()) {
			return;
		}
		this.environment.getPropertySources().remove(ConfigServerStart.LAST_KNOWN);
		ConfigOrigin.set(ConfigOrigin.server());
		// the last known values that the server's do not override are gone now
		this.refresher.refresh();
		write();
		log.info("The config server answered: the configuration is the server's again");
		stop();
	}

	@Override
	public synchronized void start() {
		ConfigOrigin origin = ConfigOrigin.current();
		if (origin != null && !origin.fromServer()) {
			this.poller = Executors
				.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kit-config-last-known").daemon().factory());
			this.poller.scheduleWithFixedDelay(this::askTheServer, this.poll.toMillis(), this.poll.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.poller != null) {
			this.poller.shutdown();
			this.poller = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.poller != null;
	}

}
