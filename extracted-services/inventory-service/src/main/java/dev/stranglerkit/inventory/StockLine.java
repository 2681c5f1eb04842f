package dev.stranglerkit.inventory;

import java.util.UUID;

/** A quantity of one product, as the messages carry it. */
record StockLine(UUID productId, int quantity) {
}
