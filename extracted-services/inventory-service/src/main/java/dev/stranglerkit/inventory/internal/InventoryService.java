package dev.stranglerkit.inventory.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.stranglerkit.inventory.OrderId;
import dev.stranglerkit.inventory.ProductId;
import dev.stranglerkit.inventory.StockAdjusted;
import dev.stranglerkit.inventory.StockLine;
import dev.stranglerkit.inventory.StockReleased;
import dev.stranglerkit.inventory.StockReserved;
import dev.stranglerkit.inventory.StockShortage;
import dev.stranglerkit.inventory.internal.ReservationRepository.Status;
import dev.stranglerkit.messaging.MessageNotReadyException;
import dev.stranglerkit.control.Handoff;
import dev.stranglerkit.control.Owner;
import dev.stranglerkit.ownership.Ownership;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The stock of each product and the reservations that hold it for orders: the monolith
 * module's design and rules, carried by the service (not shared with it).
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
public class InventoryService {

	static final String MODULE = "inventory";

	static final Owner SELF = Owner.SERVICE;

	private final StockRepository stock;

	private final ReservationRepository reservations;

	private final ApplicationEventPublisher events;

	private final Ownership ownership;

	InventoryService(StockRepository stock, ReservationRepository reservations, ApplicationEventPublisher events,
			Ownership ownership) {
		this.stock = stock;
		this.reservations = reservations;
		this.events = events;
		this.ownership = ownership;
	}

	public Optional<Stock> stockOf(ProductId productId) {
		return this.stock.find(productId);
	}

	/**
	 * Sets the available stock of a product the inventory knows, as its owner.
	 * @return the stock as it is now, or empty for an unknown product
	 * @throws NotTheOwnerException while the monolith owns the inventory
	 */
	@Transactional
	public Optional<Stock> setAvailable(ProductId productId, int available) {
		Handoff owner = this.ownership.handoffAt(MODULE, Instant.now());
		if (!owner.is(SELF)) {
			throw new NotTheOwnerException("The inventory is owned by the monolith"
					+ (owner.from().equals(Instant.EPOCH) ? "" : " since " + owner.from())
					+ "; stock is set there (through the gateway's inventory route)");
		}
		return this.stock.lock(List.of(productId)).stream().findFirst().map((current) -> {
			if (current.available() != available) {
				StockAdjusted adjusted = new StockAdjusted(productId, current.available(), available);
				this.stock.setAvailable(productId, available);
				this.stock.recordAdjustment(adjusted.eventId(), productId, current.available(), available);
				this.events.publishEvent(adjusted);
			}
			return new Stock(productId, available, current.reserved());
		});
	}

	@Transactional
	public void track(ProductId productId) {
		this.stock.createIfAbsent(productId, 0);
	}

	/**
	 * An order was placed: its owner reserves every line or nothing; the follower notes
	 * that a decision is awaited from the owner, and what the order asks for. Handling
	 * the same order twice changes nothing.
	 */
	@Transactional
	public void orderPlaced(OrderId orderId, Instant placedAt, List<StockLine> requested) {
		Handoff owner = this.ownership.handoffAt(MODULE, placedAt);
		if (!owner.is(SELF)) {
			this.reservations.claimAwaiting(orderId, placedAt, requested);
			return;
		}
		Duration settle = this.ownership.settle();
		if (!owner.from().equals(Instant.EPOCH) && Instant.now().isBefore(owner.from().plus(settle))) {
			throw new MessageNotReadyException("the inventory handoff of " + owner.from() + " is still settling");
		}
		reserve(orderId, requested, placedAt, owner.from());
	}

	/**
	 * The orchestrator's command to reserve an order's stock
	 * ({@code orders.ReserveStock}): decided as an order placed is. Sent again (its
	 * answer was late), a reservation this side holds as owner is answered again; a
	 * shortage is not (what was short is not kept), and the orchestrator gives the step
	 * up.
	 */
	@Transactional
	public void reserveCommanded(OrderId orderId, Instant placedAt, List<StockLine> requested, boolean sentAgain) {
		orderPlaced(orderId, placedAt, requested);
		if (sentAgain && this.ownership.handoffAt(MODULE, placedAt).is(SELF)) {
			Optional<Status> status = this.reservations.lockStatus(orderId);
			if (status.isPresent() && (status.get() == Status.RESERVED || status.get() == Status.COMMITTED)) {
				this.events.publishEvent(new StockReserved(orderId, this.reservations.lines(orderId)));
			}
		}
	}

	/**
	 * The orchestrator's compensation ({@code orders.ReleaseStock}): the stock held for
	 * the order is made available again, and the release answered, whatever was held: the
	 * stock released, or, for an order that was short or released already, nothing more
	 * to release. A reservation not decided yet waits for its decision. A committed order
	 * (which no orchestrator compensates) is left as it is.
	 */
	@Transactional
	public void releaseCommanded(OrderId orderId, Instant at) {
		if (releaseHeld(orderId, at)) {
			return;
		}
		awaitDecision(orderId);
		Status status = this.reservations.lockStatus(orderId).orElseThrow();
		if (status == Status.RELEASED) {
			answerReleased(orderId, this.reservations.lines(orderId), at);
		}
		else if (status == Status.REJECTED) {
			answerReleased(orderId, List.of(), at);
		}
	}

	private void answerReleased(OrderId orderId, List<StockLine> lines, Instant at) {
		if (this.ownership.handoffAt(MODULE, at).is(SELF)) {
			this.events.publishEvent(new StockReleased(orderId, lines));
		}
	}

	/**
	 * The owner's decision for an order: every line reserved, or nothing (a shortage).
	 * Deciding the same order twice changes nothing.
	 */
	@Transactional
	public void reserve(OrderId orderId, List<StockLine> requested) {
		reserve(orderId, requested, null, Instant.EPOCH);
	}

	/**
	 * Decides an order as the owner since {@code handoff}. Orders placed before the
	 * handoff may still await the previous owner's decision (it is down, say, or their
	 * message is being retried): whatever they ask for is kept back, so that this
	 * decision holds whatever that one will be. An order that fits only if they do not
	 * get their stock waits for their decision; one that does not fit even now is short
	 * either way. Nothing else waits: one stranded order never blocks the orders after it
	 * ({@link dev.stranglerkit.ownership.AwaitedDecisions} reports it).
	 */
	private void reserve(OrderId orderId, List<StockLine> requested, Instant placedAt, Instant handoff) {
		if (!this.reservations.claim(orderId, Status.DECIDING, placedAt)) {
			return;
		}
		List<StockLine> lines = requested.stream()
			.sorted(Comparator.comparing((StockLine l) -> l.productId().value()))
			.toList();
		List<ProductId> products = lines.stream().map(StockLine::productId).toList();
		Map<ProductId, Stock> current = this.stock.lock(products)
			.stream()
			.collect(Collectors.toMap(Stock::productId, Function.identity()));
		for (StockLine line : lines) {
			int available = Optional.ofNullable(current.get(line.productId())).map(Stock::available).orElse(0);
			if (available < line.quantity()) {
				this.reservations.move(orderId, Status.DECIDING, Status.REJECTED);
				this.events.publishEvent(new StockShortage(orderId, line.productId(), line.quantity(), available));
				return;
			}
		}
		if (!handoff.equals(Instant.EPOCH)) {
			Map<ProductId, Integer> awaited = this.reservations.awaited(handoff, products);
			for (StockLine line : lines) {
				int available = current.get(line.productId()).available();
				int keptBack = awaited.getOrDefault(line.productId(), 0);
				if (available - keptBack < line.quantity()) {
					throw new MessageNotReadyException(("order %s asks for %d of product %s: %d available, %d of them "
							+ "asked for by orders placed before the handoff of %s that await the previous owner's "
							+ "decision")
						.formatted(orderId, line.quantity(), line.productId(), available, keptBack, handoff));
				}
			}
		}
		for (StockLine line : lines) {
			this.stock.reserve(line.productId(), line.quantity());
			this.reservations.addLine(orderId, line);
		}
		this.reservations.move(orderId, Status.DECIDING, Status.RESERVED);
		this.events.publishEvent(new StockReserved(orderId, lines));
	}

	/**
	 * The owner (the monolith) reserved stock for an order: the follower holds the same.
	 * Applied once per order.
	 */
	@Transactional
	public void reservedByOwner(OrderId orderId, List<StockLine> lines) {
		if (!fromAwaitingOrAbsent(orderId, Status.DECIDING)) {
			return;
		}
		for (StockLine line : lines.stream()
			.sorted(Comparator.comparing((StockLine l) -> l.productId().value()))
			.toList()) {
			Stock current = this.stock.lock(List.of(line.productId()))
				.stream()
				.findFirst()
				.orElseThrow(() -> new MessageNotReadyException("product " + line.productId() + " is not tracked yet"));
			if (current.available() < line.quantity()) {
				// the owner had it: a release or an adjustment it made is still on its
				// way
				throw new MessageNotReadyException("%d of product %s held by the owner, %d available here yet"
					.formatted(line.quantity(), line.productId(), current.available()));
			}
			this.stock.reserve(line.productId(), line.quantity());
			this.reservations.addLine(orderId, line);
		}
		this.reservations.move(orderId, Status.DECIDING, Status.RESERVED);
	}

	/** The owner found a shortage for an order: nothing is held for it. */
	@Transactional
	public void rejectedByOwner(OrderId orderId) {
		fromAwaitingOrAbsent(orderId, Status.REJECTED);
	}

	/**
	 * Moves an order's reservation that awaits its owner's decision, or has none yet, to
	 * a status.
	 * @return {@code false} if it had been decided already
	 */
	private boolean fromAwaitingOrAbsent(OrderId orderId, Status status) {
		// the second move: the order's own message may have inserted AWAITING in a
		// transaction that the claim waited for, and that committed meanwhile
		return this.reservations.move(orderId, Status.AWAITING, status) || this.reservations.claim(orderId, status)
				|| this.reservations.move(orderId, Status.AWAITING, status);
	}

	/** The owner set the stock of a product: the follower applies the same change. */
	@Transactional
	public void adjustedByOwner(UUID adjustment, ProductId productId, int previouslyAvailable, int available) {
		Stock current = this.stock.lock(List.of(productId))
			.stream()
			.findFirst()
			.orElseThrow(() -> new MessageNotReadyException("product " + productId + " is not tracked yet"));
		int change = available - previouslyAvailable;
		if (current.available() + change < 0) {
			throw new MessageNotReadyException("an adjustment of %d to product %s, %d available here yet"
				.formatted(change, productId, current.available()));
		}
		if (this.stock.recordAdjustment(adjustment, productId, previouslyAvailable, available)) {
			this.stock.changeAvailable(productId, change);
		}
	}

	/**
	 * Makes a cancelled order's stock available again, on both sides; the owner of the
	 * cancellation's time tells the others. A reservation whose decision has not reached
	 * this side yet waits for it.
	 */
	@Transactional
	public void release(OrderId orderId, Instant cancelledAt) {
		if (!releaseHeld(orderId, cancelledAt)) {
			awaitDecision(orderId);
		}
	}

	/**
	 * Makes the stock an order holds available again, and the owner of that time tells
	 * the others.
	 * @return {@code false} if the order held nothing (not decided here yet, short, or
	 * released already)
	 */
	private boolean releaseHeld(OrderId orderId, Instant at) {
		if (!this.reservations.move(orderId, Status.RESERVED, Status.RELEASED)) {
			return false;
		}
		List<StockLine> lines = this.reservations.lines(orderId);
		lines.forEach((line) -> this.stock.release(line.productId(), line.quantity()));
		answerReleased(orderId, lines, at);
		return true;
	}

	/**
	 * The order is confirmed: its reserved stock is gone for good, on both sides.
	 */
	@Transactional
	public void commit(OrderId orderId) {
		if (this.reservations.move(orderId, Status.RESERVED, Status.COMMITTED)) {
			this.reservations.lines(orderId).forEach((line) -> this.stock.commit(line.productId(), line.quantity()));
			return;
		}
		awaitDecision(orderId);
	}

	/**
	 * After a reservation was found not held: waits (locking its row) for a transaction
	 * that is deciding it right now, then says whether its decision still has to come
	 * here, or came just now (the caller's move missed it: applied on the next delivery).
	 */
	private void awaitDecision(OrderId orderId) {
		Optional<Status> status = this.reservations.lockStatus(orderId);
		if (status.isEmpty() || status.get() == Status.AWAITING || status.get() == Status.RESERVED) {
			throw new MessageNotReadyException(
					"the reservation of order " + orderId + " has not been decided here yet");
		}
	}

	/** Stock is set by the inventory's owner only. */
	public static class NotTheOwnerException extends RuntimeException {

		NotTheOwnerException(String message) {
			super(message);
		}

	}

}
