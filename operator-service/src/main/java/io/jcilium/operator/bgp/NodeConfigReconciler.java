package io.jcilium.operator.bgp;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jcilium.api.crd.v2.CiliumBGPClusterConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfigOverride;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link NodeConfigPlan}: creates or updates each node's CiliumBGPNodeConfig
 * (owned by its cluster config, so the API server collects it with its owner), deletes
 * the ones we own that no cluster config asks for any more, and sets the cluster configs'
 * conditions. Level-triggered and idempotent: a pass that finds everything in place
 * writes nothing, and a node config whose spec is unchanged keeps the status its speaker
 * wrote.
 */
final class NodeConfigReconciler {

	private static final Logger logger = LoggerFactory.getLogger(NodeConfigReconciler.class);

	private static final int HTTP_CONFLICT = 409;

	private static final String OWNER_KIND = "CiliumBGPClusterConfig";

	private final KubernetesClient client;

	private final Clock clock;

	NodeConfigReconciler(KubernetesClient client, Clock clock) {
		this.client = client;
		this.clock = clock;
	}

	void reconcile(List<CiliumBGPClusterConfig> clusters, List<CiliumNode> nodes,
			List<CiliumBGPNodeConfigOverride> overrides, List<CiliumBGPPeerConfig> peerConfigs,
			List<CiliumBGPNodeConfig> existing) {
		Set<String> peerConfigNames = peerConfigs.stream()
			.map((config) -> config.getMetadata().getName())
			.collect(Collectors.toSet());
		NodeConfigPlan plan = NodeConfigPlanner.plan(clusters, nodes, overrides, peerConfigNames);
		Map<String, CiliumBGPNodeConfig> current = existing.stream()
			.collect(Collectors.toMap((config) -> config.getMetadata().getName(), (config) -> config, (a, b) -> a));
		plan.nodeConfigs().forEach((node, desired) -> {
			try {
				apply(node, desired, current.get(node));
			}
			catch (KubernetesClientException ex) {
				if (ex.getCode() != HTTP_CONFLICT) {
					throw ex;
				}
				// Our informer's cache is behind our own last write: its event brings
				// another pass with the current object.
				logger.debug("CiliumBGPNodeConfig {} changed under this pass; the next pass retries", node);
			}
		});
		for (CiliumBGPNodeConfig config : existing) {
			String name = config.getMetadata().getName();
			if (!plan.nodeConfigs().containsKey(name) && ownedByClusterConfig(config)) {
				logger.info("deleting CiliumBGPNodeConfig {}: no CiliumBGPClusterConfig selects the node any more",
						name);
				this.client.resources(CiliumBGPNodeConfig.class).withName(name).delete();
			}
		}
		for (CiliumBGPClusterConfig cluster : clusters) {
			updateConditions(cluster, plan.conditions().getOrDefault(cluster.getMetadata().getName(), List.of()));
		}
	}

	private void apply(String node, NodeConfigPlan.Desired desired, CiliumBGPNodeConfig current) {
		OwnerReference owner = owner(desired.owner());
		if (current == null) {
			CiliumBGPNodeConfig created = new CiliumBGPNodeConfig();
			created.setMetadata(new ObjectMetaBuilder().withName(node).withOwnerReferences(owner).build());
			created.setSpec(desired.spec());
			this.client.resources(CiliumBGPNodeConfig.class).resource(created).create();
			logger.info("created CiliumBGPNodeConfig {} from CiliumBGPClusterConfig {}", node,
					desired.owner().getMetadata().getName());
			return;
		}
		boolean sameSpec = json(current.getSpec()).equals(json(desired.spec()));
		boolean sameOwner = Objects.equals(current.getMetadata().getOwnerReferences(), List.of(owner));
		if (sameSpec && sameOwner) {
			return;
		}
		current.setSpec(desired.spec());
		current.getMetadata().setOwnerReferences(new ArrayList<>(List.of(owner)));
		this.client.resources(CiliumBGPNodeConfig.class).resource(current).update();
		logger.info("updated CiliumBGPNodeConfig {} from CiliumBGPClusterConfig {}", node,
				desired.owner().getMetadata().getName());
	}

	private void updateConditions(CiliumBGPClusterConfig cluster, List<String> holding) {
		CiliumBGPClusterConfig.Status status = Objects.requireNonNullElseGet(cluster.getStatus(),
				CiliumBGPClusterConfig.Status::new);
		List<Condition> previous = Objects.requireNonNullElse(status.conditions, List.of());
		List<Condition> conditions = new ArrayList<>();
		for (String type : NodeConfigPlan.CONDITION_TYPES) {
			String value = holding.contains(type) ? "True" : "False";
			Condition before = previous.stream().filter((c) -> type.equals(c.getType())).findFirst().orElse(null);
			if (before != null && value.equals(before.getStatus())
					&& Objects.equals(before.getObservedGeneration(), cluster.getMetadata().getGeneration())) {
				conditions.add(before);
				continue;
			}
			conditions.add(new ConditionBuilder().withType(type)
				.withStatus(value)
				.withReason(reason(type, value))
				.withMessage(message(type, value))
				.withObservedGeneration(cluster.getMetadata().getGeneration())
				.withLastTransitionTime((before != null && value.equals(before.getStatus()))
						? before.getLastTransitionTime() : Instant.now(this.clock).toString())
				.build());
		}
		if (conditions.equals(previous)) {
			return;
		}
		status.conditions = conditions;
		cluster.setStatus(status);
		this.client.resources(CiliumBGPClusterConfig.class).resource(cluster).updateStatus();
	}

	private static String reason(String type, String value) {
		return type.substring(type.indexOf('/') + 1) + ("True".equals(value) ? "" : "Resolved");
	}

	private static String message(String type, String value) {
		if (!"True".equals(value)) {
			return "";
		}
		return switch (type) {
			case CiliumBGPClusterConfig.CONDITION_NO_MATCHING_NODE -> "the node selector selects no CiliumNode";
			case CiliumBGPClusterConfig.CONDITION_MISSING_PEER_CONFIGS ->
				"a peerConfigRef names a CiliumBGPPeerConfig that does not exist; those peers run with defaults";
			default -> "another CiliumBGPClusterConfig selects some of the same nodes and keeps them";
		};
	}

	private static OwnerReference owner(CiliumBGPClusterConfig cluster) {
		return new OwnerReferenceBuilder().withApiVersion(cluster.getApiVersion())
			.withKind(OWNER_KIND)
			.withName(cluster.getMetadata().getName())
			.withUid(cluster.getMetadata().getUid())
			.withController(true)
			.build();
	}

	private static boolean ownedByClusterConfig(CiliumBGPNodeConfig config) {
		return Objects.requireNonNullElse(config.getMetadata().getOwnerReferences(), List.<OwnerReference>of())
			.stream()
			.anyMatch((reference) -> OWNER_KIND.equals(reference.getKind()));
	}

	private String json(Object value) {
		return this.client.getKubernetesSerialization().asJson(value);
	}

}
