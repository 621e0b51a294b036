package io.jcilium.operator.bgp;

import java.util.List;
import java.util.Map;

import io.jcilium.api.crd.v2.CiliumBGPClusterConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;

/**
 * What the cluster configs ask for: each node's config, and each cluster config's
 * upstream conditions.
 *
 * @param nodeConfigs the desired node configs, by node name
 * @param conditions the condition types that hold (status True) for each cluster config,
 * by its name; the others of {@link #CONDITION_TYPES} are False
 */
record NodeConfigPlan(Map<String, Desired> nodeConfigs, Map<String, List<String>> conditions) {

	/** Every condition type the operator sets on a cluster config. */
	static final List<String> CONDITION_TYPES = List.of(CiliumBGPClusterConfig.CONDITION_NO_MATCHING_NODE,
			CiliumBGPClusterConfig.CONDITION_MISSING_PEER_CONFIGS,
			CiliumBGPClusterConfig.CONDITION_CONFLICTING_CLUSTER_CONFIGS);

	NodeConfigPlan {
		nodeConfigs = Map.copyOf(nodeConfigs);
		conditions = Map.copyOf(conditions);
	}

	/**
	 * One node's config and the cluster config it comes from (its owner).
	 *
	 * @param owner the cluster config
	 * @param spec the node config's spec
	 */
	record Desired(CiliumBGPClusterConfig owner, CiliumBGPNodeConfig.Spec spec) {
	}

}
