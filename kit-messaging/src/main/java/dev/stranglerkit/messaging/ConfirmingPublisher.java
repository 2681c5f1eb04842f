package dev.stranglerkit.messaging;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.context.ApplicationContext;

/**
 * The outbox relay's own connection to RabbitMQ: configured from
 * {@code spring.rabbitmq.*} like the application's, but always with correlated publisher
 * confirms and returns, and kept apart from the consumers' connection (as RabbitMQ
 * advises, so that a blocked publisher never stalls consumption). Its admin declares the
 * kit's topology on every new connection, so a restarted broker has the queues before the
 * first message is resent.
 */
final class ConfirmingPublisher {

	private final CachingConnectionFactory connectionFactory;

	private final RabbitTemplate template;

	private ConfirmingPublisher(CachingConnectionFactory connectionFactory, ApplicationContext context) {
		this.connectionFactory = connectionFactory;
		this.template = new RabbitTemplate(connectionFactory);
		this.template.setMandatory(true);
		this.template.setObservationEnabled(true);
		RabbitAdmin admin = new RabbitAdmin(connectionFactory);
		// A declaration the broker refuses (a queue that exists with other arguments) is
		// logged and the rest are still declared; a message that then finds no queue is
		// returned and stays in the outbox.
		admin.setIgnoreDeclarationExceptions(true);
		admin.setApplicationContext(context);
		admin.afterPropertiesSet();
	}

	static ConfirmingPublisher create(RabbitConnectionFactoryBeanConfigurer connectionFactoryBean,
			CachingConnectionFactoryConfigurer cachingConnectionFactory,
			ObjectProvider<ConnectionFactoryCustomizer> customizers, ApplicationContext context) throws Exception {
		RabbitConnectionFactoryBean bean = new RabbitConnectionFactoryBean();
		connectionFactoryBean.configure(bean);
		bean.afterPropertiesSet();
		com.rabbitmq.client.ConnectionFactory rabbit = bean.getObject();
		customizers.orderedStream().forEach((customizer) -> customizer.customize(rabbit));
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(rabbit);
		cachingConnectionFactory.configure(connectionFactory);
		connectionFactory.setPublisherConfirmType(ConfirmType.CORRELATED);
		connectionFactory.setPublisherReturns(true);
		connectionFactory.setConnectionNameStrategy((factory) -> context.getId() + "#outbox-relay");
		return new ConfirmingPublisher(connectionFactory, context);
	}

	RabbitTemplate template() {
		return this.template;
	}

	void destroy() {
		this.template.destroy();
		this.connectionFactory.destroy();
	}

}
