package dev.stranglerkit.notifications;

import dev.stranglerkit.web.ProblemDetailsAdvice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The notification-service: the shop's notifications module, extracted. It shares no code
 * with the monolith: it reads the order messages of {@code contracts/events/}, keeps one
 * notification per order and outcome in its own database, and answers
 * {@code GET /api/notifications?orderId=} exactly as the monolith does.
 */
@SpringBootApplication
@Import(ProblemDetailsAdvice.class)
public class NotificationServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(NotificationServiceApplication.class, args);
	}

}
