package io.jcilium.common.policy.parse;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.common.net.Cidr;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Entity;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PeerRule;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.PolicySource;
import io.jcilium.common.policy.model.PortRule;
import io.jcilium.common.policy.model.ToService;
import io.jcilium.common.selector.LabelSelector;

/**
 * {@code cilium.io/v2} CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy
 * ({@code spec} or {@code specs}) into rules.
 */
final class CiliumPolicyParser {

	private static final String[] UNSUPPORTED_PEERS = { "Requires", "FQDNs", "Groups", "Nodes" };

	private final String clusterName;

	CiliumPolicyParser(String clusterName) {
		this.clusterName = clusterName;
	}

	List<PolicyRule> parse(Node root, String kind, String namespace, String name, String uid) {
		List<Node> specs = new ArrayList<>();
		if (root.has("spec") && !root.get("spec").isNull()) {
			specs.add(root.get("spec"));
		}
		specs.addAll(root.get("specs").list());
		if (specs.isEmpty()) {
			throw root.error("a " + kind + " needs 'spec' or 'specs'");
		}
		List<PolicyRule> rules = new ArrayList<>();
		for (int i = 0; i < specs.size(); i++) {
			rules.add(rule(specs.get(i), new PolicySource(kind, namespace, name, i, uid), namespace));
		}
		return rules;
	}

	private PolicyRule rule(Node spec, PolicySource source, String namespace) {
		spec.rejectFields("host policies (nodeSelector) are not supported yet", "nodeSelector");
		Node selectorNode = spec.get("endpointSelector");
		if (selectorNode.isNull()) {
			throw selectorNode.error("is required");
		}
		LabelSelector subject = Selectors.parse(selectorNode, Selectors::ciliumKey);
		if (!namespace.isEmpty()) {
			subject = Selectors.subjectInNamespace(subject, namespace);
		}
		List<PeerRule> rules = new ArrayList<>();
		rules.addAll(section(spec.get("ingress"), Direction.INGRESS, false, namespace));
		rules.addAll(section(spec.get("ingressDeny"), Direction.INGRESS, true, namespace));
		rules.addAll(section(spec.get("egress"), Direction.EGRESS, false, namespace));
		rules.addAll(section(spec.get("egressDeny"), Direction.EGRESS, true, namespace));
		// Upstream: default deny is on for each direction the rule has (allow or deny)
		// rules in,
		// unless enableDefaultDeny says otherwise.
		boolean hasIngress = !spec.get("ingress").list().isEmpty() || !spec.get("ingressDeny").list().isEmpty();
		boolean hasEgress = !spec.get("egress").list().isEmpty() || !spec.get("egressDeny").list().isEmpty();
		Node defaultDeny = spec.get("enableDefaultDeny");
		defaultDeny.asMap();
		Boolean ingressFlag = defaultDeny.get("ingress").bool();
		Boolean egressFlag = defaultDeny.get("egress").bool();
		return new PolicyRule(source, subject, rules, hasIngress && (ingressFlag == null || ingressFlag),
				hasEgress && (egressFlag == null || egressFlag));
	}

	private List<PeerRule> section(Node section, Direction direction, boolean deny, String namespace) {
		List<PeerRule> rules = new ArrayList<>();
		for (Node rule : section.list()) {
			rules.add(peerRule(rule, direction, deny, namespace));
		}
		return rules;
	}

	private PeerRule peerRule(Node rule, Direction direction, boolean deny, String namespace) {
		rule.asMap();
		String prefix = (direction == Direction.INGRESS) ? "from" : "to";
		for (String unsupported : UNSUPPORTED_PEERS) {
			rule.rejectFields("'" + prefix + unsupported + "' is not supported yet", prefix + unsupported);
		}
		rule.rejectFields("authentication is not supported yet", "authentication");
		// Upstream has toServices on egress only; there is no fromServices.
		rule.rejectFields("'fromServices' does not exist: services are egress peers ('toServices')", "fromServices");
		List<ToService> services = (direction == Direction.EGRESS) ? toServices(rule.get("toServices")) : List.of();
		List<Peer> peers = null;
		List<Node> endpoints = rule.get(prefix + "Endpoints").listOrNull();
		List<Node> cidrs = rule.get(prefix + "CIDR").listOrNull();
		List<Node> cidrSets = rule.get(prefix + "CIDRSet").listOrNull();
		List<Node> entities = rule.get(prefix + "Entities").listOrNull();
		if (endpoints != null || cidrs != null || cidrSets != null || entities != null
				|| rule.get("toServices").listOrNull() != null) {
			// Named but possibly empty: an explicitly empty list selects nothing
			// (upstream 1.15+).
			peers = new ArrayList<>();
			for (Node node : orEmpty(endpoints)) {
				LabelSelector selector = Selectors.parse(node, Selectors::ciliumKey);
				peers.add(new Peer.Endpoints(Selectors.inNamespace(selector, namespace)));
			}
			for (Node node : orEmpty(cidrs)) {
				peers.add(node.convert((n) -> new Peer.CidrBlock(Cidr.parse(n.requiredString()), List.of())));
			}
			for (Node node : orEmpty(cidrSets)) {
				node.rejectFields("CIDR groups are not supported yet", "cidrGroupRef", "cidrGroupSelector");
				Cidr cidr = node.get("cidr").convert((n) -> Cidr.parse(n.requiredString()));
				List<Cidr> except = new ArrayList<>();
				for (Node cut : node.get("except").list()) {
					except.add(cut.convert((n) -> Cidr.parse(n.requiredString())));
				}
				peers.add(node.get("except").convert((n) -> new Peer.CidrBlock(cidr, except)));
			}
			for (Node node : orEmpty(entities)) {
				peers.add(new Peer.EntityPeer(node.convert((n) -> Entity.parse(n.requiredString())), this.clusterName));
			}
		}
		List<PortRule> ports = new ArrayList<>();
		for (Node toPort : rule.get("toPorts").list()) {
			toPort.rejectFields(deny ? "deny rules cannot have L7 rules" : "L7 rules are not supported yet", "rules");
			for (Node port : toPort.get("ports").list()) {
				ports.add(Ports.port(port, Protocol.ANY, true));
			}
		}
		ports.addAll(Ports.icmps(rule.get("icmps")));
		if (peers == null && ports.isEmpty()) {
			// "ingress: [{}]" names neither peers nor ports: it selects nothing, so it
			// only puts
			// the endpoint into default deny (upstream's documented default-deny idiom).
			peers = List.of();
		}
		return new PeerRule(direction, deny, peers, ports, services);
	}

	/**
	 * {@code toServices}: each term names a service ({@code k8sService}) or selects
	 * services by label ({@code k8sServiceSelector}); upstream lets the selector win when
	 * both are given.
	 */
	private static List<ToService> toServices(Node section) {
		List<ToService> services = new ArrayList<>();
		for (Node term : section.list()) {
			term.asMap();
			Node bySelector = term.get("k8sServiceSelector");
			Node byName = term.get("k8sService");
			if (!bySelector.isNull()) {
				bySelector.asMap();
				Node selector = bySelector.get("selector");
				if (selector.isNull()) {
					throw selector.error("is required");
				}
				// Service labels are Kubernetes labels: a key without a source means k8s.
				services.add(ToService.selected(Selectors.parse(selector, Selectors::podKey),
						bySelector.get("namespace").string()));
			}
			else if (!byName.isNull()) {
				byName.asMap();
				Node name = byName.get("serviceName");
				services
					.add(name.convert((n) -> ToService.named(n.requiredString(), byName.get("namespace").string())));
			}
			else {
				throw term
					.error("needs 'k8sService' (serviceName, namespace) or 'k8sServiceSelector' (selector, namespace)");
			}
		}
		return services;
	}

	private static List<Node> orEmpty(List<Node> nodes) {
		return (nodes != null) ? nodes : List.of();
	}

}
