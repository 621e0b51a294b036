package io.jcilium.operator.bgp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.jcilium.api.crd.v2.CiliumBGPClusterConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfigOverride;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.common.label.Labels;
import io.jcilium.common.selector.LabelSelector;
import io.jcilium.common.selector.Requirement;

/**
 * Computes every node's CiliumBGPNodeConfig from the cluster configs, the CiliumNodes
 * (their labels) and the overrides, as upstream's operator does
 * ({@code operator/pkg/bgpv2}): a cluster config without a node selector selects every
 * node; a node selected by two cluster configs keeps the older one's and the younger gets
 * {@code ConflictingClusterConfig}; a peer config that is not there is reported
 * ({@code MissingPeerConfigs}) but the node config is still written, so the speaker runs
 * the peer with upstream's defaults until it appears. Plain Java, no API calls.
 */
final class NodeConfigPlanner {

	private NodeConfigPlanner() {
	}

	static NodeConfigPlan plan(List<CiliumBGPClusterConfig> clusters, List<CiliumNode> nodes,
			List<CiliumBGPNodeConfigOverride> overrides, Set<String> peerConfigs) {
		Map<String, CiliumBGPNodeConfigOverride> overrideByNode = overrides.stream()
			.collect(Collectors.toMap((o) -> o.getMetadata().getName(), (o) -> o, (a, b) -> a));
		Map<String, NodeConfigPlan.Desired> desired = new TreeMap<>();
		Map<String, List<String>> conditions = new HashMap<>();
		List<CiliumBGPClusterConfig> ordered = clusters.stream()
			.sorted(Comparator
				.comparing((CiliumBGPClusterConfig c) -> Objects.toString(c.getMetadata().getCreationTimestamp(), ""))
				.thenComparing((c) -> c.getMetadata().getName()))
			.toList();
		for (CiliumBGPClusterConfig cluster : ordered) {
			List<String> holding = new ArrayList<>();
			LabelSelector selector = selector(cluster.getSpec().nodeSelector);
			boolean matched = false;
			for (CiliumNode node : nodes) {
				Map<String, String> labels = Objects.requireNonNullElse(node.getMetadata().getLabels(), Map.of());
				if (!selector.matches(Labels.fromMap(labels, "k8s"))) {
					continue;
				}
				matched = true;
				String name = node.getMetadata().getName();
				if (desired.containsKey(name)) {
					addOnce(holding, CiliumBGPClusterConfig.CONDITION_CONFLICTING_CLUSTER_CONFIGS);
					continue;
				}
				desired.put(name, new NodeConfigPlan.Desired(cluster, spec(cluster, overrideByNode.get(name))));
			}
			if (!matched) {
				holding.add(CiliumBGPClusterConfig.CONDITION_NO_MATCHING_NODE);
			}
			if (missesPeerConfig(cluster, peerConfigs)) {
				holding.add(CiliumBGPClusterConfig.CONDITION_MISSING_PEER_CONFIGS);
			}
			conditions.put(cluster.getMetadata().getName(), holding);
		}
		return new NodeConfigPlan(desired, conditions);
	}

	private static CiliumBGPNodeConfig.Spec spec(CiliumBGPClusterConfig cluster, CiliumBGPNodeConfigOverride override) {
		CiliumBGPNodeConfig.Spec spec = new CiliumBGPNodeConfig.Spec();
		spec.bgpInstances = new ArrayList<>();
		for (CiliumBGPClusterConfig.Instance instance : cluster.getSpec().bgpInstances) {
			CiliumBGPNodeConfigOverride.Instance instanceOverride = instanceOverride(override, instance.name);
			CiliumBGPNodeConfig.Instance nodeInstance = new CiliumBGPNodeConfig.Instance();
			nodeInstance.name = instance.name;
			nodeInstance.localASN = instance.localASN;
			nodeInstance.localPort = instance.localPort;
			if (instanceOverride != null) {
				nodeInstance.routerID = instanceOverride.routerID;
				nodeInstance.localASN = Objects.requireNonNullElse(instanceOverride.localASN, instance.localASN);
				nodeInstance.localPort = Objects.requireNonNullElse(instanceOverride.localPort, instance.localPort);
			}
			List<CiliumBGPNodeConfig.Peer> peers = new ArrayList<>();
			for (CiliumBGPClusterConfig.Peer peer : Objects.requireNonNullElse(instance.peers,
					List.<CiliumBGPClusterConfig.Peer>of())) {
				CiliumBGPNodeConfig.Peer nodePeer = new CiliumBGPNodeConfig.Peer();
				nodePeer.name = peer.name;
				nodePeer.peerAddress = peer.peerAddress;
				nodePeer.peerASN = peer.peerASN;
				nodePeer.autoDiscovery = peer.autoDiscovery;
				nodePeer.peerConfigRef = peer.peerConfigRef;
				nodePeer.localAddress = localAddress(instanceOverride, peer.name);
				peers.add(nodePeer);
			}
			nodeInstance.peers = peers.isEmpty() ? null : peers;
			spec.bgpInstances.add(nodeInstance);
		}
		return spec;
	}

	private static CiliumBGPNodeConfigOverride.Instance instanceOverride(CiliumBGPNodeConfigOverride override,
			String instance) {
		if (override == null || override.getSpec() == null || override.getSpec().bgpInstances == null) {
			return null;
		}
		return override.getSpec().bgpInstances.stream()
			.filter((candidate) -> instance.equals(candidate.name))
			.findFirst()
			.orElse(null);
	}

	private static String localAddress(CiliumBGPNodeConfigOverride.Instance override, String peer) {
		if (override == null || override.peers == null) {
			return null;
		}
		return override.peers.stream()
			.filter((candidate) -> peer.equals(candidate.name))
			.map((candidate) -> candidate.localAddress)
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
	}

	private static boolean missesPeerConfig(CiliumBGPClusterConfig cluster, Set<String> peerConfigs) {
		return cluster.getSpec().bgpInstances.stream()
			.flatMap((instance) -> Objects.requireNonNullElse(instance.peers, List.<CiliumBGPClusterConfig.Peer>of())
				.stream())
			.anyMatch((peer) -> peer.peerConfigRef != null && !peerConfigs.contains(peer.peerConfigRef.name));
	}

	/** An absent selector selects every node, as upstream's. */
	static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector selector) {
		if (selector == null) {
			return LabelSelector.all();
		}
		List<Requirement> expressions = new ArrayList<>();
		for (LabelSelectorRequirement expression : Objects.requireNonNullElse(selector.getMatchExpressions(),
				List.<LabelSelectorRequirement>of())) {
			expressions.add(Requirement.of(expression.getKey(), expression.getOperator(),
					Objects.requireNonNullElse(expression.getValues(), List.of())));
		}
		return LabelSelector.of(Objects.requireNonNullElse(selector.getMatchLabels(), Map.of()), expressions);
	}

	private static void addOnce(List<String> list, String value) {
		if (!list.contains(value)) {
			list.add(value);
		}
	}

}
