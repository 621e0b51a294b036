package io.jcilium.agent.l2announce;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Service;
import io.jcilium.api.crd.v2alpha1.CiliumL2AnnouncementPolicy;

/**
 * Everything the announcement plan of one node depends on, as it is now.
 *
 * @param policies every CiliumL2AnnouncementPolicy
 * @param services every Service
 * @param nodeLabels this node's labels
 * @param devices this node's devices that may announce (up, not loopback, not the agent's
 * own)
 */
public record L2Inputs(List<CiliumL2AnnouncementPolicy> policies, List<Service> services,
		Map<String, String> nodeLabels, List<String> devices) {

	public L2Inputs {
		policies = List.copyOf(policies);
		services = List.copyOf(services);
		nodeLabels = Map.copyOf(nodeLabels);
		devices = List.copyOf(devices);
	}

}
