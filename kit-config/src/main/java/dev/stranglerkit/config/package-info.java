/**
 * The config client's start: an application waits for the config server, or starts from
 * its last known configuration ({@link dev.stranglerkit.config.ConfigServerStart}).
 */
package dev.stranglerkit.config;
