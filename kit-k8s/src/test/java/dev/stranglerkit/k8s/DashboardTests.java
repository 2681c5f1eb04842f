package dev.stranglerkit.k8s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard as Grafana provisions it: one uid, panels with ids of their own
 * on the templated Prometheus data source, every query balanced and scoped to the
 * namespace; and what it covers (the list). That the applications export each
 * metric it reads, InventoryCutoverLandscapeIT checks against a running landscape.
 */
class DashboardTests {

	final Dashboard dashboard = Dashboard.read(Path.of("..").resolve(Dashboard.FILE));

	@Test
	void grafanaCanProvisionIt() {
		JsonNode json = this.dashboard.json();
		assertThat(json.path("uid").asString()).isEqualTo("strangler-kit");
		assertThat(json.path("title").asString()).isNotBlank();
		Set<Integer> ids = new HashSet<>();
		List<String> titles = new ArrayList<>();
		for (JsonNode panel : json.path("panels")) {
			assertThat(ids.add(panel.path("id").asInt())).as("panel id %s once", panel.path("id")).isTrue();
			titles.add(panel.path("title").asString());
			if (!panel.path("type").asString().equals("row")) {
				assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
				assertThat(panel.path("targets")).as(panel.path("title").asString()).isNotEmpty();
			}
		}
		assertThat(titles).doesNotHaveDuplicates();
		assertThat(json.path("templating").path("list").findValuesAsString("name")).contains("datasource", "namespace");
	}

	@Test
	void everyQueryIsBalancedAndScopedToTheNamespace() {
		assertThat(this.dashboard.queries()).isNotEmpty().allSatisfy((query) -> {
			assertThat(depth(query, '(', ')')).as(query).isZero();
			assertThat(depth(query, '{', '}')).as(query).isZero();
			assertThat(query.split("\\{").length - 1).as("every metric of %s selected by namespace", query)
				.isEqualTo(query.split("namespace=\"\\$namespace\"").length - 1);
		});
	}

	@Test
	void itShowsTheSplitShadowsOutboxLagDeadLettersSagasAndInstances() {
		assertThat(this.dashboard.metrics()).containsExactlyInAnyOrder("strangler_requests_seconds_count",
				"strangler_shadow_comparisons_total", "http_server_requests_seconds_sum",
				"http_server_requests_seconds_count", "kit_outbox_incomplete", "kit_outbox_oldest_age_seconds",
				"kit_messaging_lag_seconds_bucket", "kit_messaging_dead_letters", "shop_orders_saga_seconds_count",
				"shop_orders_saga_seconds_bucket");
	}

	/**
	 * @return how many opened were left unclosed (negative: closed too many)
	 */
	private static int depth(String text, char open, char close) {
		int depth = 0;
		for (char c : text.toCharArray()) {
			depth += (c == open) ? 1 : (c == close) ? -1 : 0;
			assertThat(depth).as(text).isNotNegative();
		}
		return depth;
	}

}
