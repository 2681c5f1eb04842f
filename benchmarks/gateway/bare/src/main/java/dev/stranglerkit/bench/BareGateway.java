package dev.stranglerkit.bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Cloud Gateway with its starter only: the benchmark passes its one route on the
 * command line, as it passes the kit's gateway's plain route.
 */
@SpringBootApplication
public class BareGateway {

	public static void main(String[] args) {
		SpringApplication.run(BareGateway.class, args);
	}

}
