package dev.stranglerkit.inventory.web;

import java.util.UUID;

import dev.stranglerkit.inventory.ProductId;
import dev.stranglerkit.inventory.internal.InventoryService;
import dev.stranglerkit.inventory.internal.Stock;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /api/inventory/{productId}}: the same JSON and errors as the monolith's.
 */
@RestController
@RequestMapping(path = "/api/inventory", produces = MediaType.APPLICATION_JSON_VALUE)
class InventoryController {

	private final InventoryService inventory;

	InventoryController(InventoryService inventory) {
		this.inventory = inventory;
	}

	@GetMapping("/{productId}")
	StockView stock(@PathVariable UUID productId) {
		return this.inventory.stockOf(new ProductId(productId))
			.map(StockView::of)
			.orElseThrow(() -> unknown(productId));
	}

	@PutMapping(path = "/{productId}", consumes = MediaType.APPLICATION_JSON_VALUE)
	StockView setAvailable(@PathVariable UUID productId, @Valid @RequestBody NewStock request) {
		return this.inventory.setAvailable(new ProductId(productId), request.available())
			.map(StockView::of)
			.orElseThrow(() -> unknown(productId));
	}

	@ExceptionHandler(InventoryService.NotTheOwnerException.class)
	ProblemDetail notTheOwner(InventoryService.NotTheOwnerException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

	private static ResponseStatusException unknown(UUID productId) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No stock is kept for product " + productId);
	}

	record StockView(UUID productId, int available, int reserved) {

		static StockView of(Stock stock) {
			return new StockView(stock.productId().value(), stock.available(), stock.reserved());
		}

	}

	record NewStock(@NotNull @Min(0) @Max(1_000_000) Integer available) {
	}

}
