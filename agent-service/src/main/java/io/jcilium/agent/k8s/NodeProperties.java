package io.jcilium.agent.k8s;

import java.net.InetAddress;
import java.net.UnknownHostException;

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
 */
@ConfigurationProperties("jcilium.agent")
public record NodeProperties(String nodeName, @DefaultValue("default") String clusterName) {

	public NodeProperties {
		if (nodeName == null || nodeName.isBlank()) {
			nodeName = hostName();
		}
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
