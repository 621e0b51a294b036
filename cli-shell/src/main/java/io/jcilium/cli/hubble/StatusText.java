package io.jcilium.cli.hubble;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jcilium.api.hubble.observer.ServerStatusResponse;

/**
 * {@code hubble status} as upstream prints it: the health check, then current/max flows,
 * flows per second and, from a relay, connected and unavailable nodes.
 */
final class StatusText {

	private StatusText() {
	}

	static String render(String target, String health, ServerStatusResponse status) {
		StringBuilder text = new StringBuilder();
		text.append("Healthcheck (via ").append(target).append("): ").append(health).append('\n');
		String ratio = (status.getMaxFlows() > 0)
				? String.format(Locale.ROOT, " (%.2f%%)", 100.0 * status.getNumFlows() / status.getMaxFlows()) : "";
		text.append("Current/Max Flows: ")
			.append(grouped(status.getNumFlows()))
			.append('/')
			.append(grouped(status.getMaxFlows()))
			.append(ratio)
			.append('\n');
		String flowsPerSecond = "N/A";
		double uptimeSeconds = status.getUptimeNs() / 1e9;
		if (status.getFlowsRate() > 0) {
			flowsPerSecond = String.format(Locale.ROOT, "%.2f", status.getFlowsRate());
		}
		else if (uptimeSeconds > 0) {
			flowsPerSecond = String.format(Locale.ROOT, "%.2f", status.getSeenFlows() / uptimeSeconds);
		}
		text.append("Flows/s: ").append(flowsPerSecond).append('\n');
		if (status.hasNumConnectedNodes()) {
			text.append("Connected Nodes: ").append(status.getNumConnectedNodes().getValue());
			if (status.hasNumUnavailableNodes()) {
				text.append('/')
					.append(status.getNumUnavailableNodes().getValue() + status.getNumConnectedNodes().getValue());
			}
			text.append('\n');
		}
		if (status.hasNumUnavailableNodes() && status.getNumUnavailableNodes().getValue() > 0) {
			int unavailable = status.getNumUnavailableNodes().getValue();
			text.append("Unavailable Nodes: ").append(unavailable).append('\n');
			List<String> names = new ArrayList<>(status.getUnavailableNodesList());
			names.sort(null);
			if (unavailable > names.size() && !names.isEmpty()) {
				names.add("and " + (unavailable - names.size()) + " more...");
			}
			names.forEach((name) -> text.append("  - ").append(name).append('\n'));
		}
		return text.toString();
	}

	/** Go's {@code uint64Grouping}: thousands separated by commas. */
	static String grouped(long value) {
		return String.format(Locale.ROOT, "%,d", value);
	}

}
