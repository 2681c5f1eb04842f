/**
 * The config client's start: an application starts from its last known configuration
 * while the config server does not answer, or waits for it when it has none
 * ({@link dev.stranglerkit.config.ConfigServerStart}).
 */
package dev.stranglerkit.config;
