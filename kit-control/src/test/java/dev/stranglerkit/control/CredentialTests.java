package dev.stranglerkit.control;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialTests {

	@Test
	void namesEveryDefaultCredentialAnApplicationStillUsesOnce() {
		Map<String, String> application = Map.of("spring.security.user.password", "admin-secret",
				"spring.cloud.config.password", "config-secret", "eureka.client.service-url.defaultZone",
				"http://eureka:eureka-secret@127.0.0.1:8761/eureka/", "spring.rabbitmq.password", "guest",
				"kit.console.password", "console-secret", "kit.console.gateway.password", "admin-secret");
		assertThat(Credential.defaultsInUse(application::get)).containsExactlyInAnyOrder(
				"KIT_ADMIN_PASSWORD (" + Credential.ADMIN.opens() + ")",
				"KIT_CONFIG_PASSWORD (" + Credential.CONFIG.opens() + ")",
				"KIT_EUREKA_PASSWORD (" + Credential.EUREKA.opens() + ")",
				"SHOP_RABBIT_PASSWORD (" + Credential.RABBIT.opens() + ")",
				"KIT_CONSOLE_PASSWORD (" + Credential.CONSOLE.opens() + ")");
	}

	@Test
	void namesNoneOnceEachIsChanged() {
		Map<String, String> application = Map.of("spring.security.user.password", "s3cret-1",
				"spring.cloud.config.password", "s3cret-2", "eureka.client.service-url.defaultZone",
				"http://eureka:s3cret-3@127.0.0.1:8761/eureka/", "spring.rabbitmq.password", "s3cret-4");
		assertThat(Credential.defaultsInUse(application::get)).isEmpty();
	}

	@Test
	void takesEachFromItsVariablesOrItsDefault() {
		assertThat(Credential.ADMIN.from(Map.of())).isEqualTo("admin:admin-secret");
		assertThat(Credential.CONSOLE.from(Map.of("KIT_CONSOLE_USER", "ops", "KIT_CONSOLE_PASSWORD", "pw")))
			.isEqualTo("ops:pw");
	}

}
