package dev.stranglerkit.inventory;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.stranglerkit.messaging.MessageNotReadyException;
import dev.stranglerkit.ownership.Ownership;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The stock of each product and the reservations that hold it for orders: the monolith
 * module's rules, ported (not shared).
 * <p>
 * One process at a time owns the inventory ({@link Ownership},
 * {@code kit.ownership.inventory}): the monolith until a cutover hands it to this
 * service. The owner decides each order placed in its time (reserve, or find a shortage)
 * and takes the writes; the other side follows: it applies the owner's decisions and
 * adjustments from their messages, and confirms and releases reservations from the order
 * events itself. Every step is idempotent per business key (one reservation per order,
 * one adjustment per event) and every follower step commutes with the others, so both
 * sides end equal whatever order the messages arrive in. A new owner decides once the
 * handoff has settled, keeping back what the orders that still await the previous owner's
 * decision ask for, so no stock is promised twice across a handoff and no order waits for
 * another.
 */
@Service
@Transactional(readOnly = true)
class Inventory {

	static final String MODULE = "inventory";

	static final String SELF = Ownership.SERVICE;

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final Ownership ownership;

	Inventory(JdbcClient jdbc, ApplicationEventPublisher events, Ownership ownership) {
		this.jdbc = jdbc;
		this.events = events;
		this.ownership = ownership;
	}

	Optional<Stock> stockOf(UUID productId) {
		return this.jdbc.sql("SELECT product_id, available, reserved FROM inventory.stock WHERE product_id = ?")
			.param(productId)
			.query(Stock.class)
			.optional();
	}

	/**
	 * Sets the available stock of a product, as the inventory's owner.
	 * @return the stock as it is now, or empty for an unknown product
	 * @throws NotTheOwnerException while the monolith owns the inventory
	 */
	@Transactional
	Optional<Stock> setAvailable(UUID productId, int available) {
		Ownership.Handoff owner = this.ownership.handoffAt(MODULE, Instant.now());
		if (!owner.is(SELF)) {
			throw new NotTheOwnerException("The inventory is owned by the monolith"
					+ (owner.from().equals(Instant.EPOCH) ? "" : " since " + owner.from())
					+ "; stock is set there (through the gateway's inventory route)");
		}
		return lock(productId).map((current) -> {
			if (current.available() != available) {
				Events.StockAdjusted adjusted = new Events.StockAdjusted(productId, current.available(), available);
				this.jdbc.sql("UPDATE inventory.stock SET available = ? WHERE product_id = ?")
					.params(available, productId)
					.update();
				recordAdjustment(adjusted.eventId(), productId, current.available(), available);
				this.events.publishEvent(adjusted);
			}
			return new Stock(productId, available, current.reserved());
		});
	}

	@Transactional
	void track(UUID productId) {
		this.jdbc.sql(
				"INSERT INTO inventory.stock (product_id, available, reserved) VALUES (?, 0, 0) ON CONFLICT DO NOTHING")
			.param(productId)
			.update();
	}

	/**
	 * An order was placed: its owner reserves every line or nothing; the follower notes
	 * that a decision is awaited from the owner, and what the order asks for.
	 */
	@Transactional
	void orderPlaced(UUID orderId, Instant placedAt, List<StockLine> requested) {
		Ownership.Handoff owner = this.ownership.handoffAt(MODULE, placedAt);
		if (!owner.is(SELF)) {
			if (claim(orderId, "AWAITING", placedAt)) {
				requested.stream()
					.collect(Collectors.groupingBy(StockLine::productId, TreeMap::new,
							Collectors.summingInt(StockLine::quantity)))
					.forEach((product, quantity) -> this.jdbc
						.sql("INSERT INTO inventory.awaited_lines (order_id, product_id, quantity) VALUES (?, ?, ?)")
						.params(orderId, product, quantity)
						.update());
			}
			return;
		}
		Duration settle = this.ownership.settle();
		if (Instant.now().isBefore(owner.from().plus(settle))) {
			throw new MessageNotReadyException("the inventory handoff of " + owner.from() + " is still settling");
		}
		reserve(orderId, requested, placedAt, owner.from());
	}

	/**
	 * Decides an order as the owner since {@code handoff}, keeping back what the orders
	 * placed before it that still await the previous owner's decision ask for: an order
	 * that fits only if they do not get their stock waits for their decision, one that
	 * does not fit even now is short either way, and nothing else waits.
	 */
	private void reserve(UUID orderId, List<StockLine> requested, Instant placedAt, Instant handoff) {
		if (!claim(orderId, "DECIDING", placedAt)) {
			return;
		}
		List<StockLine> lines = sorted(requested);
		Map<UUID, Integer> available = new HashMap<>();
		for (StockLine line : lines) {
			available.put(line.productId(), lock(line.productId()).map(Stock::available).orElse(0));
			if (available.get(line.productId()) < line.quantity()) {
				move(orderId, "DECIDING", "REJECTED");
				this.events.publishEvent(new Events.StockShortage(orderId, line.productId(), line.quantity(),
						available.get(line.productId())));
				return;
			}
		}
		Map<UUID, Integer> awaited = awaited(handoff, available.keySet());
		for (StockLine line : lines) {
			int keptBack = awaited.getOrDefault(line.productId(), 0);
			if (available.get(line.productId()) - keptBack < line.quantity()) {
				throw new MessageNotReadyException(("order %s asks for %d of product %s: %d available, %d of them "
						+ "asked for by orders placed before the handoff of %s that await the previous owner's decision")
					.formatted(orderId, line.quantity(), line.productId(), available.get(line.productId()), keptBack,
							handoff));
			}
		}
		lines.forEach((line) -> hold(orderId, line));
		move(orderId, "DECIDING", "RESERVED");
		this.events.publishEvent(new Events.StockReserved(orderId, lines));
	}

	/**
	 * @return product -> what the orders placed before the handoff that still await the
	 * previous owner's decision ask for of it
	 * @throws MessageNotReadyException if one was noted without what it asks for (by a
	 * version before awaited lines)
	 */
	private Map<UUID, Integer> awaited(Instant handoff, Set<UUID> products) {
		long unknown = this.jdbc.sql("""
				SELECT count(*) FROM inventory.reservations r
				WHERE r.status = 'AWAITING' AND r.placed_at < ?
				  AND NOT EXISTS (SELECT 1 FROM inventory.awaited_lines a WHERE a.order_id = r.order_id)""")
			.param(Timestamp.from(handoff))
			.query(Long.class)
			.single();
		if (unknown > 0) {
			throw new MessageNotReadyException(
					"%d decision(s) of the previous inventory owner not applied yet".formatted(unknown));
		}
		Map<UUID, Integer> awaited = new HashMap<>();
		this.jdbc.sql("""
				SELECT a.product_id, sum(a.quantity) AS quantity
				FROM inventory.reservations r JOIN inventory.awaited_lines a ON a.order_id = r.order_id
				WHERE r.status = 'AWAITING' AND r.placed_at < :handoff AND a.product_id IN (:products)
				GROUP BY a.product_id""")
			.param("handoff", Timestamp.from(handoff))
			.param("products", List.copyOf(products))
			.query((rs, row) -> awaited.put(rs.getObject("product_id", UUID.class), rs.getInt("quantity")))
			.list();
		return awaited;
	}

	/**
	 * The owner (the monolith) reserved stock for an order: the follower holds the same.
	 */
	@Transactional
	void reservedByOwner(UUID orderId, List<StockLine> lines) {
		if (!fromAwaitingOrAbsent(orderId, "DECIDING")) {
			return;
		}
		for (StockLine line : sorted(lines)) {
			Stock current = lock(line.productId())
				.orElseThrow(() -> new MessageNotReadyException("product " + line.productId() + " is not tracked yet"));
			if (current.available() < line.quantity()) {
				// the owner had it: a release or an adjustment it made is still on its
				// way
				throw new MessageNotReadyException("%d of product %s held by the owner, %d available here yet"
					.formatted(line.quantity(), line.productId(), current.available()));
			}
			hold(orderId, line);
		}
		move(orderId, "DECIDING", "RESERVED");
	}

	/** The owner found a shortage for an order: nothing is held for it. */
	@Transactional
	void rejectedByOwner(UUID orderId) {
		fromAwaitingOrAbsent(orderId, "REJECTED");
	}

	/**
	 * Moves an order's reservation that awaits its owner's decision, or has none yet, to
	 * a status.
	 * @return {@code false} if it had been decided already
	 */
	private boolean fromAwaitingOrAbsent(UUID orderId, String status) {
		// the second move: the order's own message may have inserted AWAITING in a
		// transaction that the claim waited for, and that committed meanwhile
		return move(orderId, "AWAITING", status) || claim(orderId, status, null) || move(orderId, "AWAITING", status);
	}

	/** The owner set the stock of a product: the follower applies the same change. */
	@Transactional
	void adjustedByOwner(UUID adjustment, UUID productId, int previouslyAvailable, int available) {
		Stock current = lock(productId)
			.orElseThrow(() -> new MessageNotReadyException("product " + productId + " is not tracked yet"));
		int change = available - previouslyAvailable;
		if (current.available() + change < 0) {
			throw new MessageNotReadyException("an adjustment of %d to product %s, %d available here yet"
				.formatted(change, productId, current.available()));
		}
		if (recordAdjustment(adjustment, productId, previouslyAvailable, available)) {
			this.jdbc.sql("UPDATE inventory.stock SET available = available + ? WHERE product_id = ?")
				.params(change, productId)
				.update();
		}
	}

	/**
	 * Makes a cancelled order's stock available again, on both sides; the owner of the
	 * cancellation's time tells the others.
	 */
	@Transactional
	void release(UUID orderId, Instant cancelledAt) {
		if (move(orderId, "RESERVED", "RELEASED")) {
			List<StockLine> lines = lines(orderId);
			lines.forEach((line) -> this.jdbc.sql(
					"UPDATE inventory.stock SET available = available + ?, reserved = reserved - ? WHERE product_id = ?")
				.params(line.quantity(), line.quantity(), line.productId())
				.update());
			if (this.ownership.handoffAt(MODULE, cancelledAt).is(SELF)) {
				this.events.publishEvent(new Events.StockReleased(orderId, lines));
			}
			return;
		}
		awaitDecision(orderId);
	}

	/** The order is confirmed: its reserved stock is gone for good, on both sides. */
	@Transactional
	void commit(UUID orderId) {
		if (move(orderId, "RESERVED", "COMMITTED")) {
			lines(orderId).forEach(
					(line) -> this.jdbc.sql("UPDATE inventory.stock SET reserved = reserved - ? WHERE product_id = ?")
						.params(line.quantity(), line.productId())
						.update());
			return;
		}
		awaitDecision(orderId);
	}

	/**
	 * After a reservation was found not held: waits (locking its row) for a transaction
	 * that is deciding it right now, then says whether its decision still has to come
	 * here, or came just now (the caller's move missed it: applied on the next delivery).
	 */
	private void awaitDecision(UUID orderId) {
		Optional<String> status = this.jdbc
			.sql("SELECT status FROM inventory.reservations WHERE order_id = ? FOR UPDATE")
			.param(orderId)
			.query(String.class)
			.optional();
		if (status.isEmpty() || status.get().equals("AWAITING") || status.get().equals("RESERVED")) {
			throw new MessageNotReadyException(
					"the reservation of order " + orderId + " has not been decided here yet");
		}
	}

	private void hold(UUID orderId, StockLine line) {
		this.jdbc
			.sql("UPDATE inventory.stock SET available = available - ?, reserved = reserved + ? WHERE product_id = ?")
			.params(line.quantity(), line.quantity(), line.productId())
			.update();
		this.jdbc.sql("INSERT INTO inventory.reservation_lines (order_id, product_id, quantity) VALUES (?, ?, ?)")
			.params(orderId, line.productId(), line.quantity())
			.update();
	}

	/** Locks a product's stock row; rows are always locked in product-id order. */
	private Optional<Stock> lock(UUID productId) {
		return this.jdbc
			.sql("SELECT product_id, available, reserved FROM inventory.stock WHERE product_id = ? FOR UPDATE")
			.param(productId)
			.query(Stock.class)
			.optional();
	}

	private boolean claim(UUID orderId, String status, Instant placedAt) {
		return this.jdbc.sql(
				"INSERT INTO inventory.reservations (order_id, status, placed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
			.params(orderId, status, (placedAt != null) ? Timestamp.from(placedAt) : null)
			.update() == 1;
	}

	private boolean move(UUID orderId, String from, String to) {
		return this.jdbc
			.sql("UPDATE inventory.reservations SET status = ?, updated_at = now() WHERE order_id = ? AND status = ?")
			.params(to, orderId, from)
			.update() == 1;
	}

	private boolean recordAdjustment(UUID adjustment, UUID productId, int previouslyAvailable, int available) {
		return this.jdbc.sql("""
				INSERT INTO inventory.adjustments (event_id, product_id, previously_available, available)
				VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""")
			.params(adjustment, productId, previouslyAvailable, available)
			.update() == 1;
	}

	private List<StockLine> lines(UUID orderId) {
		return this.jdbc
			.sql("SELECT product_id, quantity FROM inventory.reservation_lines WHERE order_id = ? ORDER BY product_id")
			.param(orderId)
			.query(StockLine.class)
			.list();
	}

	private static List<StockLine> sorted(List<StockLine> lines) {
		return lines.stream().sorted(Comparator.comparing(StockLine::productId)).toList();
	}

	/** Stock is set by the inventory's owner only. */
	static class NotTheOwnerException extends RuntimeException {

		NotTheOwnerException(String message) {
			super(message);
		}

	}

}
