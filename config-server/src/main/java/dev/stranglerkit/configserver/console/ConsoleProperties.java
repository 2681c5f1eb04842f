package dev.stranglerkit.configserver.console;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the migration console reads and writes.
 *
 * @param user the console's login ({@code KIT_CONSOLE_USER}): people only, no machine
 * surface takes it
 * @param password its password ({@code KIT_CONSOLE_PASSWORD})
 * @param configRepo the folder this config server serves, where switches are written
 * @param gateway the gateway's actuator (routes, shadow mismatches, request metrics),
 * with the operators' credential, which every application's actuator takes
 * @param eureka the registry's REST API ({@code .../eureka})
 * @param applications name -> base URL of each application whose outbox the console shows
 * (its {@code /actuator/prometheus}, with the operators' credential)
 * @param window how far back the live traffic rates look
 */
@ConfigurationProperties("kit.console")
record ConsoleProperties(String user, String password, Path configRepo, Endpoint gateway, Endpoint eureka,
		Map<String, URI> applications, @DefaultValue("5s") Duration window) {

	/** An HTTP endpoint behind basic authentication. */
	record Endpoint(URI url, String user, String password) {

		String authorization() {
			return "Basic " + Base64.getEncoder()
				.encodeToString((this.user + ":" + this.password).getBytes(StandardCharsets.UTF_8));
		}

	}

}
