package dev.stranglerkit.gateway;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.SpringProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's spring.properties is on its class path: Spring's 6.1-style singleton
 * locking during start-up. Without it, Eureka's registry-refresh thread created listener
 * beans beside the main thread, and about one landscape start in eight hung for good
 * (gateway/src/main/resources/spring.properties).
 */
class StrictSingletonLockingTests {

	@Test
	void startsWithStrictSingletonLocking() {
		assertThat(SpringProperties.checkFlag(DefaultListableBeanFactory.STRICT_LOCKING_PROPERTY_NAME)).isTrue();
	}

}
