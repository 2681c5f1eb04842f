package dev.stranglerkit.ownership;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class OwnershipHoldTests {

	@Test
	void theConsumerStartsWithTheApplicationOnlyWhenTheOwnershipIsConfirmed() {
		assertThat(startsWithTheApplication(new MockEnvironment())).isTrue();
		assertThat(startsWithTheApplication(new MockEnvironment().withProperty("kit.config.source", "last-known")))
			.isFalse();
	}

	@Test
	void itsHealthSaysWhetherDecisionsAreHeld() {
		assertThat(hold(new MockEnvironment()).health().getDetails()).containsEntry("decisions", "made");
		assertThat(hold(new MockEnvironment().withProperty("kit.config.source", "last-known")).health().getDetails())
			.containsEntry("decisions", "held");
	}

	private static boolean startsWithTheApplication(MockEnvironment environment) {
		SimpleMessageListenerContainer consumer = new SimpleMessageListenerContainer(new CachingConnectionFactory());
		hold(environment).configure(consumer);
		return consumer.isAutoStartup();
	}

	private static OwnershipHold hold(MockEnvironment environment) {
		return new OwnershipHold(OwnershipTests.ownership(environment),
				new StaticListableBeanFactory().getBeanProvider(AbstractMessageListenerContainer.class));
	}

}
