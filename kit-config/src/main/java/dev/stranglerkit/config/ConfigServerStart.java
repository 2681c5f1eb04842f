package dev.stranglerkit.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.springframework.boot.bootstrap.BootstrapRegistry;
import org.springframework.boot.bootstrap.BootstrapRegistryInitializer;
import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.config.client.ConfigServerBootstrapper;
import org.springframework.cloud.config.client.ConfigServerConfigDataLocationResolver;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * How an application loads its configuration from the config server at start: it waits
 * for the server instead of exiting, and one that may starts from the configuration it
 * last received instead ({@code kit.config.*}, read at start, so they live in the
 * application's own {@code application.yml}):
 * <ul>
 * <li>{@code retry-for} (5 min): how long to ask the server again (after 1 s, then up to
 * every 10 s) before the start fails. Every application waits: without its configuration,
 * one that decides by ownership would decide as if nothing had been handed over.</li>
 * <li>{@code last-known.enabled} (true): whether to start from
 * {@code last-known.dir}/{@code <application>.properties}, the configuration it last
 * received, once the server has not answered for {@code last-known.after} (10 s). Its
 * health says so ({@link LastKnownConfiguration}), and it takes the server's as soon as
 * the server answers. The launcher sets {@code last-known.dir}
 * ({@code KIT_CONFIG_LAST_KNOWN_DIR}, under its state folder); without it, or without a
 * file yet, the application waits.</li>
 * </ul>
 * A configuration started from is marked: {@value #SOURCE} is {@code last-known} until
 * the server's replaces it. What it cannot know is whether the server has changed since,
 * so what must not be decided on a stale configuration waits for the server:
 * kit-ownership holds every decision by ownership (a handoff may have been added
 * meanwhile) and its consumers while the mark is there, and the application serves the
 * rest. Needs {@code spring.cloud.config.fail-fast: true}, so that a failed load is an
 * exception to retry rather than an empty configuration. A refresh (the bus, or
 * {@link LastKnownConfiguration}'s polling) asks once: the application runs already.
 */
public class ConfigServerStart implements BootstrapRegistryInitializer {

	/** the name of the property source of the last known configuration */
	static final String LAST_KNOWN = "kit-config-last-known";

	/**
	 * the property that marks a configuration started from while the server did not
	 * answer: {@code last-known} while it is in force, absent otherwise
	 */
	public static final String SOURCE = "kit.config.source";

	@Override
	public void initialize(BootstrapRegistry registry) {
		registry.register(ConfigServerBootstrapper.LoaderInterceptor.class,
				BootstrapRegistry.InstanceSupplier.of(ConfigServerStart::load));
	}

	static ConfigData load(ConfigServerBootstrapper.LoadContext context) {
		// the binder of the resolution, with the application's own application.yml (the
		// load context's binder has only what came before it)
		Settings settings = Settings.of(context.getLoaderContext()
			.getBootstrapContext()
			.get(ConfigServerConfigDataLocationResolver.PropertyResolver.class)::get);
		ConfigOrigin origin = ConfigOrigin.current();
		if (origin != null && !origin.fromServer() && !ConfigOrigin.isLoaded()) {
			// another import of the same start (an active profile's): the last known
			// configuration holds what every one of them gave
			return ConfigData.EMPTY;
		}
		if (origin != null) {
			// a later import of a start the server answered, or a refresh: the server
			// answers or not
			return context.getInvocation().apply(context.getLoaderContext(), context.getResource());
		}
		Path lastKnown = settings.lastKnownFile();
		boolean fallback = lastKnown != null && Files.isReadable(lastKnown);
		Duration retryFor = fallback ? settings.lastKnownAfter() : settings.retryFor();
		RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(Long.MAX_VALUE)
			.timeout(retryFor)
			.delay(Duration.ofSeconds(1))
			.multiplier(1.5)
			.maxDelay(Duration.ofSeconds(10))
			.build());
		long started = System.nanoTime();
		try {
			ConfigData data = retry.execute(() -> {
				try {
					return context.getInvocation().apply(context.getLoaderContext(), context.getResource());
				}
				catch (RuntimeException ex) {
					say("The config server did not answer (" + ex.getMessage() + "); asking again, for up to "
							+ retryFor.toSeconds() + " s in all"
							+ (fallback ? ", then starting from " + lastKnown : " (" + settings.noLastKnown() + ")"));
					throw ex;
				}
			});
			ConfigOrigin.set(ConfigOrigin.server());
			return data;
		}
		catch (RetryException ex) {
			String why = "the config server did not answer for " + (System.nanoTime() - started) / 1_000_000_000
					+ " s: " + ex.getCause().getMessage();
			if (!fallback) {
				throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
						: new IllegalStateException(why, ex);
			}
			ConfigOrigin lastKnownOrigin = ConfigOrigin.lastKnown(lastKnown, modified(lastKnown), why);
			say("Starting from the last known configuration (" + lastKnown + ", received "
					+ lastKnownOrigin.receivedAt() + "): " + why
					+ ". It is taken from the server as soon as the server answers");
			ConfigOrigin.set(lastKnownOrigin);
			Map<String, Object> values = read(lastKnown);
			values.put(SOURCE, "last-known");
			return new ConfigData(List.of(new MapPropertySource(LAST_KNOWN, values)));
		}
	}

	/**
	 * Says something while the configuration loads: the logging system starts only once
	 * it is loaded (it is configured by it), and a person watching the log of an
	 * application that waits for minutes must see why at once.
	 */
	private static void say(String message) {
		System.err.println(Instant.now() + "  WARN --- [kit-config] " + message);
	}

	private static Map<String, Object> read(Path file) {
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(file)) {
			properties.load(reader);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not read the last known configuration " + file, ex);
		}
		Map<String, Object> values = new LinkedHashMap<>();
		properties.stringPropertyNames().forEach((name) -> values.put(name, properties.getProperty(name)));
		return values;
	}

	private static Instant modified(Path file) {
		try {
			return Files.getLastModifiedTime(file).toInstant();
		}
		catch (IOException ex) {
			return null;
		}
	}

	/** {@code kit.config.*} */
	record Settings(Duration retryFor, boolean lastKnownEnabled, Path lastKnownDir, Duration lastKnownAfter,
			String application) {

		static Settings of(Binder binder) {
			return of(new Lookup() {
				@Override
				public <T> T get(String name, Class<T> type, T fallback) {
					return binder.bind(name, type).orElse(fallback);
				}
			});
		}

		static Settings of(Lookup properties) {
			return new Settings(properties.get("kit.config.retry-for", Duration.class, Duration.ofMinutes(5)),
					properties.get("kit.config.last-known.enabled", Boolean.class, true),
					properties.get("kit.config.last-known.dir", Path.class, null),
					properties.get("kit.config.last-known.after", Duration.class, Duration.ofSeconds(10)),
					properties.get("spring.application.name", String.class, "application"));
		}

		/** where the settings are read from */
		interface Lookup {

			<T> T get(String name, Class<T> type, T fallback);

		}

		/** why there is no last known configuration to start from */
		String noLastKnown() {
			if (!this.lastKnownEnabled) {
				return "this application does not start from a last known configuration";
			}
			if (this.lastKnownDir == null) {
				return "kit.config.last-known.dir is not set";
			}
			return "no last known configuration in " + lastKnownFile() + " yet";
		}

		/** the last known configuration's file, or null when there is none to use */
		Path lastKnownFile() {
			return (this.lastKnownEnabled && this.lastKnownDir != null)
					? this.lastKnownDir.resolve(this.application + ".properties") : null;
		}

	}

}
