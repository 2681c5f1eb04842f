package dev.stranglerkit.shop;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shop's HTTP API is its contract, {@code contracts/openapi/monolith.json}: the
 * monolith's OpenAPI document (springdoc), which each extracted service's tests hold the
 * paths it took over to. A change of the API fails here until the contract says it too:
 * the test writes the document it found to {@code target/openapi/monolith.json}, to copy
 * over the contract once the change is meant (and the services follow it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiContractTests {

	static final Path CONTRACT = Path.of("../contracts/openapi/monolith.json");

	@LocalServerPort
	int port;

	@Test
	void theMonolithAnswersTheApiOfItsContract() throws Exception {
		Http.Response docs = new Http("http://127.0.0.1:" + this.port).get("/v3/api-docs/monolith");
		assertThat(docs.status()).isEqualTo(200);
		// the document as a file keeps it: without the address it was read from
		ObjectNode document = (ObjectNode) Json.mapper().readTree(docs.body());
		document.remove("servers");
		Path found = Path.of("target/openapi/monolith.json");
		Files.createDirectories(found.getParent());
		Files.writeString(found, Json.pretty(document) + "\n");
		assertThat(ApiContract.operations(Files.readString(found), "/"))
			.as("the monolith's API (%s) against its contract (%s): copy the first over the second once the change"
					+ " is meant", found.toAbsolutePath(), CONTRACT.toAbsolutePath().normalize())
			.isEqualTo(ApiContract.operations(Files.readString(CONTRACT), "/"));
	}

}
