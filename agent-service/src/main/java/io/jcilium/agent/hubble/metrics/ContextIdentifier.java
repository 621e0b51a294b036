package io.jcilium.agent.hubble.metrics;

import java.util.List;
import java.util.regex.Pattern;

import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;

/**
 * How one side of a flow is named in a metric label, upstream's context identifiers
 * ({@code pkg/hubble/metrics/api/context.go}): {@code sourceContext=namespace|pod} takes
 * the first of them that is not empty.
 */
enum ContextIdentifier {

	IDENTITY("identity"), NAMESPACE("namespace"), POD("pod"), POD_SHORT("pod-short"), POD_NAME("pod-name"), DNS("dns"),
	IP("ip"), RESERVED_IDENTITY("reserved-identity"), WORKLOAD_NAME("workload-name"), APP("app");

	private static final Pattern SHORT_POD = Pattern.compile("^(.+?)(-[a-z0-9]+){1,2}$");

	private static final String KUBE_APISERVER = "reserved:kube-apiserver";

	/** Upstream's app labels, most specific first. */
	private static final List<String> APP_LABELS = List.of("k8s:app.kubernetes.io/name=", "k8s:k8s-app=", "k8s:app=");

	private final String text;

	ContextIdentifier(String text) {
		this.text = text;
	}

	static ContextIdentifier parse(String text) {
		for (ContextIdentifier identifier : values()) {
			if (identifier.text.equalsIgnoreCase(text)) {
				return identifier;
			}
		}
		throw new IllegalArgumentException("unknown context '" + text + "'; use one of identity, namespace, pod, "
				+ "pod-short, pod-name, dns, ip, reserved-identity, workload-name, app");
	}

	@Override
	public String toString() {
		return this.text;
	}

	String value(Flow flow, boolean source) {
		Endpoint endpoint = source ? flow.getSource() : flow.getDestination();
		return switch (this) {
			case NAMESPACE -> endpoint.getNamespace();
			case IDENTITY -> String.join(",", endpoint.getLabelsList());
			case POD -> withNamespace(endpoint, endpoint.getPodName());
			case POD_SHORT -> withNamespace(endpoint, SHORT_POD.matcher(endpoint.getPodName()).replaceAll("$1"));
			case POD_NAME -> endpoint.getPodName();
			case DNS -> String.join(",", source ? flow.getSourceNamesList() : flow.getDestinationNamesList());
			case IP -> source ? flow.getIP().getSource() : flow.getIP().getDestination();
			case RESERVED_IDENTITY -> reserved(endpoint.getLabelsList());
			case WORKLOAD_NAME -> (endpoint.getWorkloadsCount() > 0) ? endpoint.getWorkloads(0).getName() : "";
			case APP -> app(endpoint.getLabelsList());
		};
	}

	static String app(List<String> labels) {
		for (String label : labels) {
			for (String app : APP_LABELS) {
				if (label.startsWith(app) && label.length() > app.length()) {
					return label.substring(app.length());
				}
			}
		}
		return "";
	}

	private static String withNamespace(Endpoint endpoint, String pod) {
		return endpoint.getNamespace().isEmpty() ? pod : endpoint.getNamespace() + "/" + pod;
	}

	private static String reserved(List<String> labels) {
		if (labels.contains(KUBE_APISERVER)) {
			return KUBE_APISERVER;
		}
		for (String label : labels) {
			if (label.startsWith("reserved:")) {
				return label;
			}
		}
		return "";
	}

}
