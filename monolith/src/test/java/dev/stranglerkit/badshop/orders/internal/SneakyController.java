package dev.stranglerkit.badshop.orders.internal;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bad: a web controller outside the module's web package.
 */
@RestController
public class SneakyController {

	@GetMapping("/sneaky")
	String sneaky() {
		return "sneaky";
	}

}
