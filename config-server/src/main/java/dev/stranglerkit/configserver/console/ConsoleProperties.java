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
 * @param configRepo the folder this config server serves, where switches are written
 * @param gateway the gateway's actuator (routes, shadow mismatches, request metrics)
 * @param eureka the registry's REST API ({@code .../eureka})
 * @param applications name -> base URL of each application whose outbox the console shows
 * (their {@code /actuator/prometheus} needs no credentials)
 * @param window how far back the live traffic rates look
 */
@ConfigurationProperties("kit.console")
record ConsoleProperties(Path configRepo, Endpoint gateway, Endpoint eureka, Map<String, URI> applications,
		@DefaultValue("5s") Duration window) {

	/** An HTTP endpoint behind basic authentication. */
	record Endpoint(URI url, String user, String password) {

		String authorization() {
			return "Basic " + Base64.getEncoder()
				.encodeToString((this.user + ":" + this.password).getBytes(StandardCharsets.UTF_8));
		}

	}

}
