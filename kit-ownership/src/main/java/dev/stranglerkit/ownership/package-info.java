/**
 * The kit's ownership starter: which process owns an extracted module's behaviour for an
 * event that happened at a given time ({@code kit.ownership}, typed and rebound on every
 * refresh), the endpoint that shows it, and the hold of every decision by ownership while
 * an application runs on its last known configuration. Infrastructure only: no domain
 * type lives here.
 */
@NullMarked
package dev.stranglerkit.ownership;

import org.jspecify.annotations.NullMarked;
