package dev.stranglerkit.shop;

import dev.stranglerkit.web.ProblemDetailsAdvice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * The shop: a modular monolith. Each direct sub-package is one application module that
 * owns one PostgreSQL schema and talks to the others only through events.
 * <p>
 * The application-wide infrastructure is imported rather than scanned, so that a test
 * that bootstraps a single module (and scans only that module) still has it.
 */
@SpringBootApplication
@Import({ ModuleSchemaMigrations.class, ProblemDetailsAdvice.class })
@ConfigurationPropertiesScan
public class ShopApplication {

	public static void main(String[] args) {
		SpringApplication.run(ShopApplication.class, args);
	}

}
