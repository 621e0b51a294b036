package io.jcilium.agent.node.routing;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.jcilium.api.crd.v2.CiliumNode;

/** CiliumNode objects as the operator writes them. */
final class CiliumNodes {

	private CiliumNodes() {
	}

	/**
	 * @param name the node
	 * @param internalIp its InternalIP, or null for none
	 * @param podCidrs its spec.ipam.podCIDRs, or none for no ipam section
	 * @return the object
	 */
	static CiliumNode node(String name, String internalIp, String... podCidrs) {
		CiliumNode node = new CiliumNode();
		node.setMetadata(new ObjectMetaBuilder().withName(name).build());
		CiliumNode.Spec spec = new CiliumNode.Spec();
		spec.addresses = new ArrayList<>();
		if (internalIp != null) {
			CiliumNode.NodeAddress address = new CiliumNode.NodeAddress();
			address.type = "InternalIP";
			address.ip = internalIp;
			spec.addresses.add(address);
		}
		if (podCidrs.length > 0) {
			spec.ipam = new CiliumNode.IpamSpec();
			spec.ipam.podCIDRs = List.of(podCidrs);
		}
		node.setSpec(spec);
		return node;
	}

}
