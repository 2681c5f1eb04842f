package dev.stranglerkit.shop;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The same outcomes, invariants and saga views as {@link OrderSagaTests}, with every
 * order's saga run by the orchestrator ({@code shop.saga.style: orchestration}): the two
 * styles differ in how, never in what. Its context (one more than the suite's others, by
 * its property) is closed once it ran, so that its connections do not count against
 * PostgreSQL's limit while the rest of the suite runs.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "shop.saga.style=orchestration")
class OrchestratedOrderSagaTests extends OrderSagaTests {

	@Override
	String style() {
		return "ORCHESTRATION";
	}

}
