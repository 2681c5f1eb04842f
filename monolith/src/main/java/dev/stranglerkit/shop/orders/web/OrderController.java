package dev.stranglerkit.shop.orders.web;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.OrderLine;
import dev.stranglerkit.shop.orders.internal.Order;
import dev.stranglerkit.shop.orders.internal.OrderService;
import dev.stranglerkit.shop.orders.internal.Sagas;
import dev.stranglerkit.shop.orders.internal.UnknownProductsException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.LuhnCheck;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping(path = "/api/orders", produces = MediaType.APPLICATION_JSON_VALUE)
class OrderController {

	private final OrderService orders;

	private final Sagas sagas;

	OrderController(OrderService orders, Sagas sagas) {
		this.orders = orders;
		this.sagas = sagas;
	}

	/**
	 * Accepts an order: {@code 202}, because its outcome is decided by the saga
	 * afterwards.
	 */
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.ACCEPTED) // (as the API documents it: the answer's own
											// status)
	ResponseEntity<OrderView> place(@Valid @RequestBody PlaceOrder request) {
		Map<ProductId, Integer> quantities = new LinkedHashMap<>();
		for (PlaceOrder.Line line : request.lines()) {
			if (quantities.put(new ProductId(line.productId()), line.quantity()) != null) {
				throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, "Product " + line.productId()
						+ " appears on more than one line; give it once with the total quantity");
			}
		}
		Order order = this.orders.place(request.customerId().strip(), request.card(), quantities);
		return ResponseEntity.accepted().location(URI.create("/api/orders/" + order.id())).body(OrderView.of(order));
	}

	@GetMapping("/{id}")
	OrderView order(@PathVariable UUID id) {
		return this.orders.find(new OrderId(id))
			.map(OrderView::of)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order with id " + id));
	}

	/**
	 * The order's saga, step by step, in either style: what the orchestrator commanded
	 * and when each answer came, or, for a choreographed order, the same steps read back
	 * from the events its modules published.
	 */
	@GetMapping("/{id}/saga")
	SagaView saga(@PathVariable UUID id) {
		return this.sagas.of(new OrderId(id))
			.map(SagaView::of)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order with id " + id));
	}

	@ExceptionHandler
	ProblemDetail unknownProducts(UnknownProductsException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
		problem.setTitle("Unknown product");
		problem.setProperty("unknownProducts", ex.unknown().stream().map(ProductId::value).toList());
		return problem;
	}

	record PlaceOrder(@NotBlank @Size(max = 100) String customerId,
			@NotNull @Pattern(regexp = "\\d{12,19}",
					message = "must be 12 to 19 digits") @LuhnCheck(message = "is not a valid card number") String card,
			@NotEmpty @Size(max = 50) List<@NotNull @Valid Line> lines) {

		record Line(@NotNull UUID productId, @NotNull @Min(1) @Max(1000) Integer quantity) {
		}

	}

	record OrderView(UUID id, String status, String reason, List<LineView> lines, BigDecimal total) {

		static OrderView of(Order order) {
			return new OrderView(order.id().value(), order.status().name(), order.reason(),
					order.lines().stream().map(LineView::of).toList(), order.total());
		}

	}

	record SagaView(UUID orderId, String style, String status, String reason, List<StepView> steps) {

		static SagaView of(Sagas.Saga saga) {
			return new SagaView(saga.orderId().value(), saga.style().name(), saga.status().name(), saga.reason(),
					saga.steps().stream().map(StepView::of).toList());
		}

	}

	/**
	 * @param overdue whether its answer is awaited past its deadline: a stuck saga
	 */
	record StepView(String step, Integer attempts, Instant sentAt, Instant deadline, Instant answeredAt, String answer,
			boolean overdue) {

		static StepView of(Sagas.Step step) {
			boolean overdue = step.answeredAt() == null && step.deadline() != null
					&& step.deadline().isBefore(Instant.now());
			return new StepView(step.step().name(), step.attempts(), step.sentAt(), step.deadline(), step.answeredAt(),
					step.answer(), overdue);
		}

	}

	record LineView(UUID productId, int quantity, BigDecimal unitPrice) {

		static LineView of(OrderLine line) {
			return new LineView(line.productId().value(), line.quantity(), line.unitPrice());
		}

	}

}
