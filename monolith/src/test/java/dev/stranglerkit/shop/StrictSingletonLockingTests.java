package dev.stranglerkit.shop;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.SpringProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kit-web's spring.properties reaches the applications that use it: Spring's 6.1-style
 * singleton locking during start-up. Without it, Eureka's registry-refresh thread created
 * listener beans beside the main thread, and about one landscape start in eight hung for
 * good (kit-web/src/main/resources/spring.properties).
 */
class StrictSingletonLockingTests {

	@Test
	void startsWithStrictSingletonLocking() {
		assertThat(SpringProperties.checkFlag(DefaultListableBeanFactory.STRICT_LOCKING_PROPERTY_NAME)).isTrue();
	}

}
