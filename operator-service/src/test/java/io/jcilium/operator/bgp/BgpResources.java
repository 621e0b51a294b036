package io.jcilium.operator.bgp;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.api.crd.v2.CiliumBGPClusterConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfigOverride;
import io.jcilium.api.crd.v2.CiliumNode;

/**
 * BGP resources for the tests, read from YAML as a user would write them.
 */
final class BgpResources {

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	private BgpResources() {
	}

	static <T> T read(String yaml, Class<T> type) {
		return SERIALIZATION.unmarshal(yaml, type);
	}

	static CiliumNode node(String name, Map<String, String> labels) {
		CiliumNode node = new CiliumNode();
		node.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build());
		return node;
	}

	/** Two peers, tor1 and tor2, on one instance; nodes labelled {@code rack: rack0}. */
	static CiliumBGPClusterConfig rack0(String name) {
		return read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPClusterConfig
				metadata:
				  name: %s
				spec:
				  nodeSelector:
				    matchLabels: {rack: rack0}
				  bgpInstances:
				  - name: instance-65000
				    localASN: 65000
				    peers:
				    - name: tor1
				      peerASN: 65100
				      peerAddress: 10.0.0.1
				      peerConfigRef: {name: cilium-peer}
				    - name: tor2
				      peerASN: 65100
				      peerAddress: fd00:10::1
				      peerConfigRef: {name: cilium-peer}
				""".formatted(name), CiliumBGPClusterConfig.class);
	}

	static CiliumBGPNodeConfigOverride override(String node) {
		return read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPNodeConfigOverride
				metadata:
				  name: %s
				spec:
				  bgpInstances:
				  - name: instance-65000
				    routerID: 192.168.10.1
				    localPort: 1790
				    localASN: 65001
				    peers:
				    - name: tor2
				      localAddress: fd00:10::2
				""".formatted(node), CiliumBGPNodeConfigOverride.class);
	}

	static List<String> peerNames(io.jcilium.api.crd.v2.CiliumBGPNodeConfig.Spec spec) {
		return spec.bgpInstances.get(0).peers.stream().map((peer) -> peer.name).toList();
	}

}
