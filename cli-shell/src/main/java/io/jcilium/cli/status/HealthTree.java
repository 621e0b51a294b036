package io.jcilium.cli.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;

/**
 * A service's actuator health components as {@code status --verbose} shows them: one row
 * per component (nested ones named by their path, {@code peers/node-a}), and one row per
 * background job of a jobs component, with its runs, failures, last error and last
 * success, so a user sees which controller fails and why without reading logs.
 */
final class HealthTree {

	private static final int MAX_DETAILS = 200;

	private HealthTree() {
	}

	/**
	 * The rows of a health report's components.
	 * @param components the report's {@code components} object (missing: no rows)
	 * @return rows of three cells: component, status, details
	 */
	static List<List<String>> rows(JsonNode components) {
		List<List<String>> rows = new ArrayList<>();
		collect("", components, rows);
		return rows;
	}

	static String render(List<List<String>> rows) {
		TextTable table = new TextTable("COMPONENT", "STATUS", "DETAILS");
		rows.forEach((row) -> table.row(row.toArray(String[]::new)));
		return table.render();
	}

	private static void collect(String prefix, JsonNode components, List<List<String>> rows) {
		for (Map.Entry<String, JsonNode> component : components.properties()) {
			JsonNode value = component.getValue();
			String status = value.path("status").asString("UNKNOWN");
			if (value.has("components")) {
				rows.add(List.of(prefix + component.getKey(), status, ""));
				collect(prefix + component.getKey() + "/", value.path("components"), rows);
				continue;
			}
			JsonNode details = value.path("details");
			List<Map.Entry<String, JsonNode>> jobs = jobs(details);
			if (jobs.isEmpty()) {
				rows.add(List.of(prefix + component.getKey(), status, summary(details)));
				continue;
			}
			JsonNode failing = details.path("failing");
			rows.add(List.of(prefix + component.getKey(), status,
					failing.isArray() && !failing.isEmpty() ? shorten("failing: " + join(failing)) : ""));
			for (Map.Entry<String, JsonNode> job : jobs) {
				rows.add(List.of(prefix + component.getKey() + "/" + job.getKey(),
						job.getValue().has("lastError") ? "FAILING" : "OK", job(job.getValue())));
			}
		}
	}

	/**
	 * The details that describe jobs (the jobs indicator's): objects with a run count.
	 */
	private static List<Map.Entry<String, JsonNode>> jobs(JsonNode details) {
		List<Map.Entry<String, JsonNode>> jobs = new ArrayList<>();
		for (Map.Entry<String, JsonNode> detail : details.properties()) {
			if (detail.getValue().isObject() && detail.getValue().has("runs")) {
				jobs.add(detail);
			}
		}
		return jobs;
	}

	private static String job(JsonNode job) {
		StringBuilder text = new StringBuilder();
		text.append(job.path("runs").asLong())
			.append(" runs, ")
			.append(job.path("failures").asLong())
			.append(" failures");
		if (job.has("lastError")) {
			text.append(" (")
				.append(job.path("failuresInARow").asLong())
				.append(" in a row), last error: ")
				.append(job.path("lastError").asString());
		}
		if (job.has("lastSuccess")) {
			text.append(", last success ").append(job.path("lastSuccess").asString());
		}
		else {
			text.append(", never succeeded");
		}
		return shorten(text.toString());
	}

	/** A component's reason or error if it gives one, else its plain details as k=v. */
	private static String summary(JsonNode details) {
		if (details.path("reason").isString()) {
			return shorten(details.path("reason").asString());
		}
		if (details.path("error").isString()) {
			return shorten(Failures.message(details.path("error").asString()));
		}
		List<String> pairs = new ArrayList<>();
		for (Map.Entry<String, JsonNode> detail : details.properties()) {
			if (detail.getValue().isValueNode()) {
				pairs.add(detail.getKey() + "=" + detail.getValue().asString());
			}
		}
		return shorten(String.join(", ", pairs));
	}

	private static String join(JsonNode array) {
		List<String> names = new ArrayList<>();
		array.forEach((name) -> names.add(name.asString()));
		return String.join(", ", names);
	}

	private static String shorten(String text) {
		String line = text.replace('\n', ' ');
		return (line.length() > MAX_DETAILS) ? line.substring(0, MAX_DETAILS - 3) + "..." : line;
	}

}
