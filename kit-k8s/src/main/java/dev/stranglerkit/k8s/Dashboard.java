package dev.stranglerkit.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard of {@code deploy/k8s/observability/dashboards/}: its panels'
 * queries and the metrics they read, so that a test can hold them against what the
 * applications export.
 *
 * @param json the dashboard
 */
public record Dashboard(JsonNode json) {

	/** the kit's dashboard, below the kit's folder */
	public static final String FILE = "deploy/k8s/observability/dashboards/strangler-kit.json";

	/** a metric's name where a query selects it: {@code name{...}} */
	private static final Pattern SELECTED = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

	public static Dashboard read(Path file) {
		try {
			return new Dashboard(JsonMapper.builder().build().readTree(Files.readString(file)));
		}
		catch (IOException ex) {
			throw new K8sException("cannot read " + file + ": " + ex.getMessage());
		}
	}

	/**
	 * @return every query of every panel, in the panels' order
	 */
	public List<String> queries() {
		List<String> queries = new ArrayList<>();
		for (JsonNode panel : this.json.path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				queries.add(target.path("expr").asString());
			}
		}
		return queries;
	}

	/**
	 * @return the metrics the queries read, as Prometheus names them
	 * ({@code strangler_requests_seconds_count})
	 */
	public Set<String> metrics() {
		Set<String> metrics = new TreeSet<>();
		for (String query : queries()) {
			Matcher selected = SELECTED.matcher(query);
			while (selected.find()) {
				metrics.add(selected.group(1));
			}
		}
		return metrics;
	}

}
