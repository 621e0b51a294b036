package io.jcilium.agent.endpoint;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Endpoint settings under {@code jcilium.agent}.
 *
 * @param stateDir where the agent keeps state that must survive its restart (pod IP
 * allocations)
 * @param ipam local pod address allocation
 */
@ConfigurationProperties("jcilium.agent")
public record EndpointProperties(@DefaultValue("/var/run/jcilium/state") Path stateDir, @DefaultValue Ipam ipam) {

	/**
	 * @param podCidr the node's pod CIDR (IPv4 for now: the pod routes go through an IPv4
	 * link-local gateway)
	 */
	public record Ipam(@DefaultValue("10.0.0.0/24") String podCidr) {

		public Ipam {
			if (podCidr.contains(":")) {
				throw new IllegalArgumentException("jcilium.agent.ipam.pod-cidr " + podCidr
						+ " is IPv6; only IPv4 pod CIDRs are supported so far");
			}
		}

	}

}
