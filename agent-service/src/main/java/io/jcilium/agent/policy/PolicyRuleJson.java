package io.jcilium.agent.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jcilium.common.label.Label;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PeerRule;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.PolicySource;
import io.jcilium.common.policy.model.PortRule;
import io.jcilium.common.policy.model.ToService;
import io.jcilium.common.selector.LabelSelector;
import io.jcilium.common.selector.Operator;
import io.jcilium.common.selector.Requirement;

/**
 * A rule in force written back in the Cilium rule shape upstream's
 * {@code cilium-dbg policy get} prints ({@code endpointSelector}, {@code ingress},
 * {@code egressDeny}, ..., {@code labels}). Rules of every kind come out in that one
 * shape, NetworkPolicies included, as upstream's repository holds them after translation.
 * Peers of different kinds in one peer rule become one element per kind, since upstream
 * accepts only one kind of L3 peer per element. A rule that selects no peer keeps an
 * explicit empty {@code fromEndpoints}/{@code toEndpoints}, which reads back the same.
 */
final class PolicyRuleJson {

	private PolicyRuleJson() {
	}

	static Map<String, Object> rule(PolicyRule rule) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("endpointSelector", selector(rule.subject()));
		for (Direction direction : Direction.values()) {
			for (boolean deny : new boolean[] { false, true }) {
				List<Map<String, Object>> elements = new ArrayList<>();
				for (PeerRule peerRule : rule.rules()) {
					if (peerRule.direction() == direction && peerRule.deny() == deny) {
						elements.addAll(elements(peerRule));
					}
				}
				if (!elements.isEmpty()) {
					json.put(direction.text() + (deny ? "Deny" : ""), elements);
				}
			}
		}
		json.put("enableDefaultDeny", Map.of("ingress", rule.defaultDenyIngress(), "egress", rule.defaultDenyEgress()));
		json.put("labels", labels(rule.source()));
		return json;
	}

	/**
	 * A label selector as Kubernetes writes it: single-valued {@code In} requirements as
	 * {@code matchLabels}, the others as {@code matchExpressions}; keys carry their
	 * source ({@code any:app}), as upstream prints them.
	 */
	static Map<String, Object> selector(LabelSelector selector) {
		Map<String, String> matchLabels = new TreeMap<>();
		List<Map<String, Object>> expressions = new ArrayList<>();
		for (Requirement requirement : selector.requirements()) {
			String key = requirement.key().sourceAndKey();
			if (requirement.operator() == Operator.IN && requirement.values().size() == 1) {
				matchLabels.put(key, requirement.values().first());
				continue;
			}
			Map<String, Object> expression = new LinkedHashMap<>();
			expression.put("key", key);
			expression.put("operator", requirement.operator().text());
			if (!requirement.values().isEmpty()) {
				expression.put("values", List.copyOf(requirement.values()));
			}
			expressions.add(expression);
		}
		Map<String, Object> json = new LinkedHashMap<>();
		if (!matchLabels.isEmpty()) {
			json.put("matchLabels", matchLabels);
		}
		if (!expressions.isEmpty()) {
			json.put("matchExpressions", expressions);
		}
		return json;
	}

	/** A rule's labels as upstream's API writes them: key, value and source each. */
	static List<Map<String, String>> labels(PolicySource source) {
		List<Map<String, String>> labels = new ArrayList<>();
		for (String text : source.labels()) {
			Label label = Label.parse(text);
			Map<String, String> json = new LinkedHashMap<>();
			json.put("key", label.key());
			json.put("value", label.value());
			json.put("source", label.source());
			labels.add(json);
		}
		return labels;
	}

	private static List<Map<String, Object>> elements(PeerRule rule) {
		String from = (rule.direction() == Direction.INGRESS) ? "from" : "to";
		Map<String, List<Object>> byKind = new LinkedHashMap<>();
		if (rule.peers() != null) {
			for (Peer peer : rule.peers()) {
				if (peer instanceof Peer.Endpoints endpoints) {
					byKind.computeIfAbsent(from + "Endpoints", (k) -> new ArrayList<>())
						.add(selector(endpoints.selector()));
				}
				else if (peer instanceof Peer.CidrBlock block) {
					Map<String, Object> cidr = new LinkedHashMap<>();
					cidr.put("cidr", block.cidr().toString());
					if (!block.except().isEmpty()) {
						cidr.put("except", block.except().stream().map(Object::toString).toList());
					}
					byKind.computeIfAbsent(from + "CIDRSet", (k) -> new ArrayList<>()).add(cidr);
				}
				else if (peer instanceof Peer.EntityPeer entity) {
					byKind.computeIfAbsent(from + "Entities", (k) -> new ArrayList<>()).add(entity.entity().text());
				}
			}
		}
		if (!rule.toServices().isEmpty()) {
			byKind.put("toServices", rule.toServices().stream().<Object>map(PolicyRuleJson::service).toList());
		}
		if (byKind.isEmpty() && !rule.anyPeer()) {
			// a rule that selects no peer (ingress: [{}], fromEndpoints: []) is written
			// with its empty selector list, so it does not read as an L4-only rule that
			// applies to every peer
			byKind.put(from + "Endpoints", List.of());
		}
		Map<String, Object> ports = ports(rule.ports());
		List<Map<String, Object>> elements = new ArrayList<>();
		if (byKind.isEmpty()) {
			elements.add(new LinkedHashMap<>(ports));
		}
		byKind.forEach((kind, peers) -> {
			Map<String, Object> element = new LinkedHashMap<>();
			element.put(kind, peers);
			element.putAll(ports);
			elements.add(element);
		});
		return elements;
	}

	private static Map<String, Object> service(ToService service) {
		Map<String, Object> json = new LinkedHashMap<>();
		if (service.selector() != null) {
			Map<String, Object> selected = new LinkedHashMap<>();
			selected.put("selector", selector(service.selector()));
			if (!service.namespace().isEmpty()) {
				selected.put("namespace", service.namespace());
			}
			json.put("k8sServiceSelector", selected);
		}
		else {
			Map<String, Object> named = new LinkedHashMap<>();
			named.put("serviceName", service.serviceName());
			if (!service.namespace().isEmpty()) {
				named.put("namespace", service.namespace());
			}
			json.put("k8sService", named);
		}
		return json;
	}

	private static Map<String, Object> ports(List<PortRule> rules) {
		List<Map<String, Object>> ports = new ArrayList<>();
		List<Map<String, Object>> icmps = new ArrayList<>();
		for (PortRule rule : rules) {
			if (rule.isIcmp()) {
				Map<String, Object> field = new LinkedHashMap<>();
				field.put("type", rule.icmpType());
				field.put("family", (rule.protocol() == Protocol.ICMPV6) ? "IPv6" : "IPv4");
				icmps.add(field);
			}
			else if (rule.isNamed() || !rule.range().equals(PortRule.ANY.range()) || rule.protocol() != Protocol.ANY) {
				Map<String, Object> port = new LinkedHashMap<>();
				port.put("port", rule.isNamed() ? rule.namedPort() : Integer.toString(rule.range().port()));
				if (rule.range().endPort() != 0) {
					port.put("endPort", rule.range().endPort());
				}
				port.put("protocol", rule.protocol().displayName());
				ports.add(port);
			}
		}
		Map<String, Object> json = new LinkedHashMap<>();
		if (!ports.isEmpty()) {
			json.put("toPorts", List.of(Map.of("ports", ports)));
		}
		if (!icmps.isEmpty()) {
			json.put("icmps", List.of(Map.of("fields", icmps)));
		}
		return json;
	}

}
