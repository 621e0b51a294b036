package io.jcilium.cli.hubble;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.jcilium.api.hubble.observer.Node;
import io.jcilium.cli.table.TextTable;

/**
 * {@code hubble list nodes}: upstream's table, sorted by name: NAME, STATUS, AGE (uptime
 * rounded to the second), FLOWS/S (seen flows over uptime), CURRENT/MAX-FLOWS;
 * {@code N/A} where a node does not say.
 */
final class NodesTable {

	private static final String NOT_AVAILABLE = "N/A";

	private NodesTable() {
	}

	static String render(List<Node> nodes) {
		TextTable table = new TextTable("NAME", "STATUS", "AGE", "FLOWS/S", "CURRENT/MAX-FLOWS");
		nodes.stream().sorted(Comparator.comparing(Node::getName)).forEach((node) -> {
			String age = NOT_AVAILABLE;
			String flowsPerSecond = NOT_AVAILABLE;
			long seconds = Math.round(node.getUptimeNs() / 1e9);
			if (seconds > 0) {
				age = GoDurations.format(Duration.ofSeconds(seconds));
				flowsPerSecond = String.format(Locale.ROOT, "%.2f", node.getSeenFlows() / (double) seconds);
			}
			String flows = NOT_AVAILABLE;
			if (node.getMaxFlows() > 0) {
				flows = String.format(Locale.ROOT, "%d/%d (%6.2f%%)", node.getNumFlows(), node.getMaxFlows(),
						100.0 * node.getNumFlows() / node.getMaxFlows());
			}
			table.row(node.getName(), state(node), age, flowsPerSecond, flows);
		});
		return table.render();
	}

	private static String state(Node node) {
		return switch (node.getState()) {
			case NODE_CONNECTED -> "Connected";
			case NODE_UNAVAILABLE -> "Unavailable";
			case NODE_GONE -> "Gone";
			case NODE_ERROR -> "Error";
			default -> "Unknown";
		};
	}

}
