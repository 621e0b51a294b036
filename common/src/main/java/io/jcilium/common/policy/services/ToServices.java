package io.jcilium.common.policy.services;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jcilium.common.label.Label;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PeerRule;
import io.jcilium.common.policy.model.PodLabels;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.ToService;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.common.selector.LabelSelector;

/**
 * Resolves the {@code toServices} terms of a policy against the cluster's services, as
 * upstream's policy watcher does ({@code pkg/policy/k8s/service.go}): a selected service
 * with a pod selector becomes an endpoint peer with that selector limited to the
 * service's namespace, so policy follows the backends' identities; a service without a
 * selector becomes one CIDR peer per backend address. A term that selects no service adds
 * no peer, so the rule allows nothing through it (fail closed). Always resolve the policy
 * as parsed, never an already resolved one.
 */
public final class ToServices {

	private static final String NAMESPACE_KEY = Label.SOURCE_K8S + ":" + PodLabels.NAMESPACE_LABEL;

	private ToServices() {
	}

	/**
	 * Whether a policy has any {@code toServices} term, i.e. depends on services.
	 * @param policy the parsed policy
	 * @return whether it has one
	 */
	public static boolean uses(PolicyObject policy) {
		return policy.rules()
			.stream()
			.flatMap((rule) -> rule.rules().stream())
			.anyMatch((rule) -> !rule.toServices().isEmpty());
	}

	/**
	 * The policy with every {@code toServices} term's peers filled in.
	 * @param policy the policy as parsed
	 * @param services the cluster's services
	 * @return the resolved policy (the same object if it has no term)
	 */
	public static PolicyObject resolve(PolicyObject policy, Collection<ClusterService> services) {
		if (!uses(policy)) {
			return policy;
		}
		// In name order, so that resolving the same inputs twice gives equal rules.
		List<ClusterService> ordered = services.stream().sorted(Comparator.comparing(ClusterService::key)).toList();
		List<PolicyRule> rules = new ArrayList<>();
		for (PolicyRule rule : policy.rules()) {
			List<PeerRule> peerRules = new ArrayList<>();
			for (PeerRule peerRule : rule.rules()) {
				peerRules.add(peerRule.toServices().isEmpty() ? peerRule
						: peerRule.withServicePeers(peers(peerRule.toServices(), ordered)));
			}
			rules.add(new PolicyRule(rule.source(), rule.subject(), peerRules, rule.defaultDenyIngress(),
					rule.defaultDenyEgress()));
		}
		return new PolicyObject(policy.kind(), policy.namespace(), policy.name(), rules);
	}

	private static List<Peer> peers(List<ToService> terms, List<ClusterService> services) {
		List<Peer> peers = new ArrayList<>();
		for (ClusterService service : services) {
			boolean selected = terms.stream()
				.anyMatch((term) -> term.matches(service.namespace(), service.name(), service.serviceLabels()));
			if (selected) {
				for (Peer peer : peersOf(service)) {
					if (!peers.contains(peer)) {
						peers.add(peer);
					}
				}
			}
		}
		return peers;
	}

	/**
	 * The peers standing for one service's backends.
	 * @param service the service
	 * @return its backends' pods by selector, or its backends' addresses
	 */
	static List<Peer> peersOf(ClusterService service) {
		if (service.selector().isEmpty()) {
			return service.backends().stream().<Peer>map((address) -> new Peer.CidrBlock(address, List.of())).toList();
		}
		// Selector keys as upstream generates them: no source (any), plus the namespace.
		Map<String, String> matchLabels = new TreeMap<>(service.selector());
		matchLabels.put(NAMESPACE_KEY, service.namespace());
		try {
			return List.of(new Peer.Endpoints(LabelSelector.matchLabels(matchLabels)));
		}
		catch (IllegalArgumentException invalidSelector) {
			// The API server validates selectors; one that still does not parse selects
			// nothing rather than more than it says.
			return List.of();
		}
	}

}
