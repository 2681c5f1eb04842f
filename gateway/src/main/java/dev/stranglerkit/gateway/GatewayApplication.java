package dev.stranglerkit.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The strangler facade: the landscape's only entry point. Each strangler route of
 * {@code config-repo/gateway.yml} sends its paths to the monolith or to the extracted
 * service, in one of four modes that a config change switches at runtime (see
 * {@link StranglerFilter}).
 */
@SpringBootApplication
public class GatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(GatewayApplication.class, args);
	}

}
