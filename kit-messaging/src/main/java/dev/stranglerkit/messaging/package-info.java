/**
 * The kit's messaging starter: events leave an application through a confirmed outbox
 * relay and enter another through an idempotent consumer, so that nothing is lost between
 * processes and nothing is applied twice. Infrastructure only: no domain type lives here.
 */
@NullMarked
package dev.stranglerkit.messaging;

import org.jspecify.annotations.NullMarked;
