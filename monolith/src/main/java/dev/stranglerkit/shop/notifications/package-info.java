/**
 * Notifications: tells the customer how their order ended. A log of sent notifications
 * stands in for real mail. The first module the migration guide extracts: it only
 * listens.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notifications")
package dev.stranglerkit.shop.notifications;
