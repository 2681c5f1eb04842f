package dev.stranglerkit.inventory;

import java.util.UUID;

/** The stock of one product: {@code GET /api/inventory/{productId}}. */
record Stock(UUID productId, int available, int reserved) {
}
