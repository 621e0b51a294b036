package io.jcilium.agent.hubble.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.TrafficDirection;

/**
 * The labels a metric adds to say whose flows it counts, upstream's context options:
 * {@code labelsContext} (fixed labels such as {@code source_namespace}), then
 * {@code source} and {@code destination} from {@code sourceContext} and
 * {@code destinationContext}, in upstream's order.
 */
final class LabelContext {

	/** Upstream's labels for {@code labelsContext}, in the order they are added. */
	private static final List<String> CONTEXT_LABELS = List.of("source_ip", "source_pod", "source_namespace",
			"source_workload", "source_app", "destination_ip", "destination_pod", "destination_namespace",
			"destination_workload", "destination_app", "traffic_direction");

	static final LabelContext NONE = new LabelContext(List.of(), List.of(), List.of());

	private final List<String> labels;

	private final List<ContextIdentifier> source;

	private final List<ContextIdentifier> destination;

	private LabelContext(List<String> labels, List<ContextIdentifier> source, List<ContextIdentifier> destination) {
		this.labels = labels;
		this.source = source;
		this.destination = destination;
	}

	/**
	 * @param options a metric's options, e.g. {@code sourceContext=namespace|pod}
	 * @throws IllegalArgumentException naming the option that cannot be used
	 */
	static LabelContext parse(Map<String, String> options) {
		List<String> labels = List.of();
		List<ContextIdentifier> source = List.of();
		List<ContextIdentifier> destination = List.of();
		for (Map.Entry<String, String> option : options.entrySet()) {
			switch (option.getKey().toLowerCase(Locale.ROOT)) {
				case "sourcecontext" -> source = identifiers(option.getValue());
				case "destinationcontext" -> destination = identifiers(option.getValue());
				case "labelscontext" -> labels = labels(option.getValue());
				default -> throw new IllegalArgumentException("unknown option '" + option.getKey()
						+ "'; this agent supports sourceContext, destinationContext and labelsContext");
			}
		}
		return new LabelContext(labels, source, destination);
	}

	List<String> names() {
		List<String> names = new ArrayList<>(this.labels);
		if (!this.source.isEmpty()) {
			names.add("source");
		}
		if (!this.destination.isEmpty()) {
			names.add("destination");
		}
		return names;
	}

	int size() {
		return this.labels.size() + (this.source.isEmpty() ? 0 : 1) + (this.destination.isEmpty() ? 0 : 1);
	}

	/**
	 * Writes this context's label values for a flow into {@code values} from {@code at}.
	 */
	void values(Flow flow, String[] values, int at) {
		int i = at;
		for (String label : this.labels) {
			values[i++] = labelValue(label, flow);
		}
		if (!this.source.isEmpty()) {
			values[i++] = first(this.source, flow, true);
		}
		if (!this.destination.isEmpty()) {
			values[i] = first(this.destination, flow, false);
		}
	}

	private static String first(List<ContextIdentifier> identifiers, Flow flow, boolean source) {
		for (ContextIdentifier identifier : identifiers) {
			String value = identifier.value(flow, source);
			if (!value.isEmpty()) {
				return value;
			}
		}
		return "";
	}

	private static String labelValue(String label, Flow flow) {
		return switch (label) {
			case "source_ip" -> flow.getIP().getSource();
			case "source_pod" -> flow.getSource().getPodName();
			case "source_namespace" -> flow.getSource().getNamespace();
			case "source_workload" -> ContextIdentifier.WORKLOAD_NAME.value(flow, true);
			case "source_app" -> ContextIdentifier.APP.value(flow, true);
			case "destination_ip" -> flow.getIP().getDestination();
			case "destination_pod" -> flow.getDestination().getPodName();
			case "destination_namespace" -> flow.getDestination().getNamespace();
			case "destination_workload" -> ContextIdentifier.WORKLOAD_NAME.value(flow, false);
			case "destination_app" -> ContextIdentifier.APP.value(flow, false);
			default -> (flow.getTrafficDirection() == TrafficDirection.TRAFFIC_DIRECTION_UNKNOWN) ? "unknown"
					: flow.getTrafficDirection().name().toLowerCase(Locale.ROOT);
		};
	}

	private static List<ContextIdentifier> identifiers(String value) {
		List<ContextIdentifier> identifiers = new ArrayList<>();
		for (String text : value.split("\\|", -1)) {
			identifiers.add(ContextIdentifier.parse(text.strip()));
		}
		return List.copyOf(identifiers);
	}

	private static List<String> labels(String value) {
		List<String> wanted = List.of(value.split(",", -1)).stream().map(String::strip).toList();
		for (String label : wanted) {
			if (!CONTEXT_LABELS.contains(label)) {
				throw new IllegalArgumentException("invalid labelsContext value '" + label + "'; use some of "
						+ String.join(", ", CONTEXT_LABELS));
			}
		}
		return CONTEXT_LABELS.stream().filter(wanted::contains).toList();
	}

}
