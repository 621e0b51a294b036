package io.jcilium.agent.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.common.policy.parse.PolicyParseException;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.PolicyKind;

/**
 * Feeds NetworkPolicies, CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies from
 * their informers into the policy engine. Every object goes through common's
 * {@link PolicyParser}, the one place that decides what is valid; a policy that fails is
 * not passed on, so its last good version stays in force, and (for the Cilium kinds) gets
 * a {@code Valid=False} status condition saying what is wrong. Updates that touch only
 * status or metadata, and resyncs of an object already handled, cause no work.
 */
final class PolicyWatcher {

	private static final Logger log = LoggerFactory.getLogger(PolicyWatcher.class);

	private final Supplier<PolicyUpdates> updates;

	private final PolicyParser parser;

	private final BiFunction<PolicyKind, HasMetadata, Map<String, Object>> document;

	private final PolicyStatusWriter status;

	/** The resourceVersion last handled per policy key, so resyncs are cheap. */
	private final Map<String, String> handled = new ConcurrentHashMap<>();

	/**
	 * @param updates the policy engine's input, looked up at each event
	 * @param parser the policy parser
	 * @param document turns an API object into the tree the parser reads
	 * @param status where validation outcomes are reported
	 */
	PolicyWatcher(Supplier<PolicyUpdates> updates, PolicyParser parser,
			BiFunction<PolicyKind, HasMetadata, Map<String, Object>> document, PolicyStatusWriter status) {
		this.updates = updates;
		this.parser = parser;
		this.document = document;
		this.status = status;
	}

	ResourceEventHandler<NetworkPolicy> networkPolicies() {
		return handler(PolicyKind.NETWORK_POLICY, (policy) -> policy.getSpec());
	}

	ResourceEventHandler<GenericKubernetesResource> ciliumPolicies(PolicyKind kind) {
		return handler(kind, (policy) -> Arrays.asList(policy.get("spec"), policy.get("specs")));
	}

	private <T extends HasMetadata> ResourceEventHandler<T> handler(PolicyKind kind, Function<T, Object> spec) {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(T policy) {
				apply(kind, policy);
			}

			@Override
			public void onUpdate(T before, T after) {
				boolean resync = before == after || Objects.equals(before.getMetadata().getResourceVersion(),
						after.getMetadata().getResourceVersion());
				if (resync) {
					String key = key(kind, after);
					if (Objects.equals(PolicyWatcher.this.handled.get(key), after.getMetadata().getResourceVersion())) {
						return;
					}
				}
				else if (Objects.equals(spec.apply(before), spec.apply(after))) {
					// Only status or metadata changed, e.g. our own condition write.
					PolicyWatcher.this.handled.put(key(kind, after), after.getMetadata().getResourceVersion());
					return;
				}
				apply(kind, after);
			}

			@Override
			public void onDelete(T policy, boolean finalStateUnknown) {
				String key = key(kind, policy);
				PolicyWatcher.this.handled.remove(key);
				PolicyWatcher.this.updates.get().removePolicy(key);
				log.info("{} deleted, its rules removed", key);
			}

		};
	}

	private void apply(PolicyKind kind, HasMetadata policy) {
		String key = key(kind, policy);
		String namespace = policy.getMetadata().getNamespace();
		String name = policy.getMetadata().getName();
		List<PolicyObject> parsed;
		try {
			parsed = this.parser.parse(this.document.apply(kind, policy));
		}
		catch (PolicyParseException ex) {
			log.warn("Rejected {}, its last valid version (if any) stays in force: {}", key, ex.getMessage());
			this.handled.put(key, policy.getMetadata().getResourceVersion());
			this.status.report(kind, namespace, name, ex.getMessage());
			return;
		}
		for (PolicyObject object : parsed) {
			this.updates.get().upsertPolicy(object);
		}
		this.handled.put(key, policy.getMetadata().getResourceVersion());
		this.status.report(kind, namespace, name, null);
		log.debug("{} applied ({} rules)", key, parsed.stream().mapToInt((object) -> object.rules().size()).sum());
	}

	/**
	 * Whether every policy of the informers' first listing has been handled (applied or
	 * rejected), so the engine holds the cluster's rules.
	 * @param informers the informers this watcher handles events of
	 * @return whether it caught up
	 */
	boolean caughtUpWith(ClusterInformers informers) {
		return caughtUp(PolicyKind.NETWORK_POLICY, informers.networkPolicies())
				&& caughtUp(PolicyKind.CILIUM_NETWORK_POLICY, informers.ciliumNetworkPolicies())
				&& caughtUp(PolicyKind.CILIUM_CLUSTERWIDE_NETWORK_POLICY, informers.clusterwidePolicies());
	}

	private boolean caughtUp(PolicyKind kind, SharedIndexInformer<? extends HasMetadata> informer) {
		return informer.hasSynced() && informer.getStore()
			.list()
			.stream()
			.allMatch((policy) -> this.handled.containsKey(key(kind, policy)));
	}

	private static String key(PolicyKind kind, HasMetadata policy) {
		return kind.key(policy.getMetadata().getNamespace(), policy.getMetadata().getName());
	}

}
