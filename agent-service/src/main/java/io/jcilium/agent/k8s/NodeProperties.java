package io.jcilium.agent.k8s;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import io.jcilium.common.label.LabelFilter;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who this agent is in the cluster, under {@code jcilium.agent}.
 *
 * @param nodeName the Kubernetes node this agent runs on (its pods are the ones with
 * {@code spec.nodeName} equal to it); defaults to the host name, as upstream's
 * {@code K8S_NODE_NAME} falls back to it
 * @param clusterName the cluster's name, part of every pod's identity labels
 * ({@code io.cilium.k8s.policy.cluster}); upstream's default is {@code default}
 * @param labels label patterns on top of upstream's defaults that decide which of a pod's
 * labels are part of its identity, as upstream's {@code --labels} option
 * ({@code [source:][!]regex}, e.g. {@code k8s:!request-id} to leave a label unique per
 * pod out); identity-service's {@code jcilium.identity.allocation.label-patterns} must
 * not keep labels these drop
 */
@ConfigurationProperties("jcilium.agent")
public record NodeProperties(String nodeName, @DefaultValue("default") String clusterName, List<String> labels) {

	public NodeProperties {
		if (nodeName == null || nodeName.isBlank()) {
			nodeName = hostName();
		}
		labels = (labels != null) ? List.copyOf(labels) : List.of();
		// a malformed pattern stops the start, naming it
		LabelFilter.withPatterns(labels);
	}

	/** Which labels are part of an identity: upstream's defaults and {@link #labels}. */
	public LabelFilter labelFilter() {
		return LabelFilter.withPatterns(this.labels);
	}

	private static String hostName() {
		String fromEnv = System.getenv("HOSTNAME");
		if (fromEnv != null && !fromEnv.isBlank()) {
			return fromEnv;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
