package dev.stranglerkit.shop.catalog.web;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.shop.catalog.Product;
import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.catalog.internal.CatalogService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import static org.springframework.http.HttpStatus.NOT_FOUND;

@RestController
@RequestMapping(path = "/api/catalog/products", produces = MediaType.APPLICATION_JSON_VALUE)
class CatalogController {

	private final CatalogService catalog;

	CatalogController(CatalogService catalog) {
		this.catalog = catalog;
	}

	@GetMapping
	List<ProductView> products() {
		return this.catalog.findAll().stream().map(ProductView::of).toList();
	}

	@GetMapping("/{id}")
	ProductView product(@PathVariable UUID id) {
		return this.catalog.find(new ProductId(id)).map(ProductView::of).orElseThrow(() -> unknown(id));
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED) // (as the API documents it: the answer's own
										// status)
	ResponseEntity<ProductView> add(@Valid @RequestBody NewProduct request) {
		Product product = this.catalog.add(request.name().strip(), request.price());
		return ResponseEntity.created(URI.create("/api/catalog/products/" + product.id()))
			.body(ProductView.of(product));
	}

	@PutMapping(path = "/{id}/price", consumes = MediaType.APPLICATION_JSON_VALUE)
	ProductView changePrice(@PathVariable UUID id, @Valid @RequestBody NewPrice request) {
		return this.catalog.changePrice(new ProductId(id), request.price())
			.map(ProductView::of)
			.orElseThrow(() -> unknown(id));
	}

	private static ResponseStatusException unknown(UUID id) {
		return new ResponseStatusException(NOT_FOUND, "No product with id " + id);
	}

	record ProductView(UUID id, String name, BigDecimal price) {

		static ProductView of(Product product) {
			return new ProductView(product.id().value(), product.name(), product.price());
		}

	}

	record NewProduct(@NotBlank @Size(max = 200) String name,
			@NotNull @DecimalMin("0.01") @DecimalMax("1000000") @Digits(integer = 7, fraction = 2) BigDecimal price) {
	}

	record NewPrice(
			@NotNull @DecimalMin("0.01") @DecimalMax("1000000") @Digits(integer = 7, fraction = 2) BigDecimal price) {
	}

}
