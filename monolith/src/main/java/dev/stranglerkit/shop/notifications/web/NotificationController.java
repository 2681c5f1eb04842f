package dev.stranglerkit.shop.notifications.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.shop.notifications.internal.Notification;
import dev.stranglerkit.shop.notifications.internal.NotificationService;
import dev.stranglerkit.shop.orders.OrderId;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/notifications", produces = MediaType.APPLICATION_JSON_VALUE)
class NotificationController {

	private final NotificationService notifications;

	NotificationController(NotificationService notifications) {
		this.notifications = notifications;
	}

	@GetMapping
	List<NotificationView> notifications(@RequestParam UUID orderId) {
		return this.notifications.sentFor(new OrderId(orderId)).stream().map(NotificationView::of).toList();
	}

	record NotificationView(UUID id, UUID orderId, String customerId, Notification.Kind kind, String message,
			Instant sentAt) {

		static NotificationView of(Notification notification) {
			return new NotificationView(notification.id(), notification.orderId().value(), notification.customerId(),
					notification.kind(), notification.message(), notification.sentAt());
		}

	}

}
