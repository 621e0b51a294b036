package io.jcilium.agent.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.PolicySource;

/**
 * One endpoint's policy as a user reads it, like upstream's
 * {@code cilium-dbg bpf policy get <endpoint>}: each policy map entry with its verdict,
 * direction, peer identity, ports and protocol, and the labels of the rules it is derived
 * from (which the kernel's map does not hold).
 *
 * @param endpointId the endpoint id
 * @param pod namespace/name of the endpoint's pod
 * @param identity the endpoint's security identity
 * @param ingressEnforced whether ingress not allowed is dropped
 * @param egressEnforced whether egress not allowed is dropped
 * @param entries the entries, in map order
 */
public record EndpointPolicyView(int endpointId, String pod, long identity, boolean ingressEnforced,
		boolean egressEnforced, List<Entry> entries) {

	/**
	 * One entry.
	 *
	 * @param verdict {@code allow} or {@code deny}
	 * @param direction {@code ingress} or {@code egress}
	 * @param peer the peer identity, 0 for any
	 * @param protocol {@code TCP}, {@code UDP}, ... or {@code ANY}
	 * @param ports {@code 80}, a range such as {@code 8080-8083}, or {@code ANY}
	 * @param derivedFrom the labels of each rule deriving the entry, as upstream's
	 * {@code DerivedFromRules}
	 */
	public record Entry(String verdict, String direction, long peer, String protocol, String ports,
			List<List<String>> derivedFrom) {

	}

	static EndpointPolicyView of(int endpointId, String pod, EndpointPolicy policy) {
		List<Entry> entries = new ArrayList<>(policy.entries().size());
		for (Map.Entry<MapEntry, List<PolicySource>> derived : policy.derivedFrom().entrySet()) {
			MapEntry entry = derived.getKey();
			entries.add(new Entry(entry.deny() ? "deny" : "allow", entry.direction().text(), entry.peer(),
					protocol(entry.protocol()), ports(entry),
					derived.getValue().stream().map(PolicySource::labels).toList()));
		}
		return new EndpointPolicyView(endpointId, pod, policy.identity(), policy.ingressEnforced(),
				policy.egressEnforced(), entries);
	}

	private static String protocol(int code) {
		return (code == 0) ? "ANY" : Protocol.fromCode(code).displayName();
	}

	// A port prefix covers 2^(16 - length) ports from the port: shown as the range it is.
	private static String ports(MapEntry entry) {
		if (entry.prefixLength() == 0) {
			return "ANY";
		}
		int last = entry.port() + (1 << (16 - entry.prefixLength())) - 1;
		return (last == entry.port()) ? Integer.toString(entry.port()) : entry.port() + "-" + last;
	}

}
