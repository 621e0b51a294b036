package io.jcilium.common.policy.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.jcilium.common.net.Cidr;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PeerRule;
import io.jcilium.common.policy.model.PodLabels;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.PolicySource;
import io.jcilium.common.policy.model.PortRule;
import io.jcilium.common.selector.LabelSelector;
import io.jcilium.common.selector.Operator;
import io.jcilium.common.selector.Requirement;

/**
 * {@code networking.k8s.io/v1} NetworkPolicy into a rule, with Kubernetes semantics:
 * {@code policyTypes} decide the enforced directions, an absent or empty
 * {@code from}/{@code to} means every peer, absent {@code ports} every port,
 * {@code ingress: [{}]} allows everything.
 */
final class NetworkPolicyParser {

	static final String KIND = "NetworkPolicy";

	List<PolicyRule> parse(Node root, String namespace, String name, String uid) {
		Node spec = root.get("spec");
		if (spec.isNull()) {
			throw spec.error("is required");
		}
		LabelSelector subject = Selectors
			.subjectInNamespace(Selectors.parse(spec.get("podSelector"), Selectors::podKey), namespace);
		Set<String> types = policyTypes(spec);
		List<PeerRule> rules = new ArrayList<>();
		if (types.contains("Ingress")) {
			for (Node rule : spec.get("ingress").list()) {
				rules.add(peerRule(rule, Direction.INGRESS, namespace));
			}
		}
		if (types.contains("Egress")) {
			for (Node rule : spec.get("egress").list()) {
				rules.add(peerRule(rule, Direction.EGRESS, namespace));
			}
		}
		return List.of(new PolicyRule(new PolicySource(KIND, namespace, name, 0, uid), subject, rules,
				types.contains("Ingress"), types.contains("Egress")));
	}

	private static Set<String> policyTypes(Node spec) {
		Set<String> types = new TreeSet<>();
		List<Node> written = spec.get("policyTypes").listOrNull();
		if (written == null || written.isEmpty()) {
			// Kubernetes' defaulting: Ingress always, Egress when egress rules are
			// present.
			types.add("Ingress");
			if (!spec.get("egress").list().isEmpty()) {
				types.add("Egress");
			}
			return types;
		}
		for (Node type : written) {
			String text = type.requiredString();
			if (!text.equals("Ingress") && !text.equals("Egress")) {
				throw type.error("unknown policy type '" + text + "', allowed: Ingress, Egress");
			}
			types.add(text);
		}
		return types;
	}

	private PeerRule peerRule(Node rule, Direction direction, String namespace) {
		rule.asMap();
		List<Node> peerNodes = rule.get((direction == Direction.INGRESS) ? "from" : "to").listOrNull();
		List<Peer> peers = null;
		if (peerNodes != null && !peerNodes.isEmpty()) {
			peers = new ArrayList<>();
			for (Node peer : peerNodes) {
				peers.add(peer(peer, namespace));
			}
		}
		List<PortRule> ports = new ArrayList<>();
		for (Node port : rule.get("ports").list()) {
			ports.add(Ports.port(port, Protocol.TCP, false));
		}
		return new PeerRule(direction, false, peers, ports);
	}

	private Peer peer(Node peer, String namespace) {
		boolean hasPods = !peer.get("podSelector").isNull();
		boolean hasNamespaces = !peer.get("namespaceSelector").isNull();
		Node ipBlock = peer.get("ipBlock");
		if (!ipBlock.isNull()) {
			if (hasPods || hasNamespaces) {
				throw ipBlock.error("ipBlock cannot be combined with podSelector or namespaceSelector");
			}
			Cidr cidr = ipBlock.get("cidr").convert((n) -> Cidr.parse(n.requiredString()));
			List<Cidr> except = new ArrayList<>();
			for (Node cut : ipBlock.get("except").list()) {
				except.add(cut.convert((n) -> Cidr.parse(n.requiredString())));
			}
			return ipBlock.get("except").convert((n) -> new Peer.CidrBlock(cidr, except));
		}
		if (!hasPods && !hasNamespaces) {
			throw peer.error("a peer needs podSelector, namespaceSelector or ipBlock");
		}
		List<Requirement> requirements = new ArrayList<>();
		if (hasPods) {
			requirements.addAll(Selectors.parse(peer.get("podSelector"), Selectors::podKey).requirements());
		}
		if (hasNamespaces) {
			requirements.addAll(Selectors.parse(peer.get("namespaceSelector"), Selectors::namespaceKey).requirements());
			// Only pods carry the namespace label: a namespaceSelector never selects the
			// world.
			requirements.add(new Requirement(Requirement.parseKey("k8s:" + PodLabels.NAMESPACE_LABEL), Operator.EXISTS,
					new TreeSet<>()));
		}
		else {
			requirements.add(Requirement.of("k8s:" + PodLabels.NAMESPACE_LABEL, "In", List.of(namespace)));
		}
		return new Peer.Endpoints(LabelSelector.of(java.util.Map.of(), requirements));
	}

}
