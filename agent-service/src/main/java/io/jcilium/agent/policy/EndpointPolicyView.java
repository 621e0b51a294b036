package io.jcilium.agent.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.PolicySource;

/**
 * One endpoint's policy as a user reads it, like upstream's
 * {@code cilium-dbg bpf policy get <endpoint>}: each entry of the endpoint's policy map
 * in the datapath with its verdict, direction, peer identity, ports and protocol, L7
 * proxy port, counters and prefix length as the kernel holds them, and the labels of the
 * rules it is derived from (which the kernel's map does not hold: the policy engine's
 * entry written as that key gives them). Without a datapath the engine's entries are
 * shown, without counters, and {@code source} says so.
 *
 * @param endpointId the endpoint id
 * @param pod namespace/name of the endpoint's pod
 * @param identity the endpoint's security identity
 * @param ingressEnforced whether ingress not allowed is dropped
 * @param egressEnforced whether egress not allowed is dropped
 * @param source {@code datapath} (read from the pinned map) or {@code policy-engine}
 * @param entries the entries, ingress first, then by peer, protocol and port
 */
public record EndpointPolicyView(int endpointId, String pod, long identity, Boolean ingressEnforced,
		Boolean egressEnforced, String source, List<Entry> entries) {

	/** Entries read from the endpoint's map in the datapath. */
	public static final String DATAPATH = "datapath";

	/** Entries as the policy engine computed them: no datapath map to read. */
	public static final String POLICY_ENGINE = "policy-engine";

	private static final int ICMP = 1;

	private static final int ICMPV6 = 58;

	private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::direction)
		.reversed()
		.thenComparingLong(Entry::peer)
		.thenComparing(Entry::protocol)
		.thenComparingInt(Entry::prefix)
		.thenComparing(Entry::ports);

	/**
	 * One entry.
	 *
	 * @param verdict {@code allow} or {@code deny}
	 * @param direction {@code ingress} or {@code egress}
	 * @param peer the peer identity, 0 for any
	 * @param protocol {@code TCP}, {@code UDP}, ... or {@code ANY}
	 * @param ports {@code 80}, a range such as {@code 8080-8083}, an ICMP type, or
	 * {@code ANY}
	 * @param proxyPort the L7 proxy port, 0 for none
	 * @param prefix the protocol and port bits the key matches: 0 (any protocol), 8 (any
	 * port), up to 24 (one port), as upstream's PREFIX column
	 * @param packets packets the datapath charged to the entry, null without a datapath
	 * @param bytes bytes the datapath charged to the entry, null without a datapath
	 * @param derivedFrom the labels of each rule deriving the entry, as upstream's
	 * {@code DerivedFromRules}
	 */
	public record Entry(String verdict, String direction, long peer, String protocol, String ports, int proxyPort,
			int prefix, Long packets, Long bytes, List<List<String>> derivedFrom) {

	}

	static EndpointPolicyView ofDatapath(int endpointId, String pod, long identity, EndpointPolicy policy,
			List<PolicyMapContents.Stored> stored) {
		List<Entry> entries = new ArrayList<>(stored.size());
		for (PolicyMapContents.Stored entry : stored) {
			List<List<String>> derivedFrom = (policy != null && entry.engineEntry() != null)
					? policy.derivedFrom(entry.engineEntry()).stream().map(PolicySource::labels).toList() : List.of();
			entries.add(new Entry(entry.deny() ? "deny" : "allow", entry.egress() ? "egress" : "ingress", entry.peer(),
					protocol(entry.protocol()), ports(entry), entry.proxyPort(), entry.portPrefixLength(),
					entry.packets(), entry.bytes(), derivedFrom));
		}
		entries.sort(ORDER);
		return new EndpointPolicyView(endpointId, pod, identity, (policy != null) ? policy.ingressEnforced() : null,
				(policy != null) ? policy.egressEnforced() : null, DATAPATH, entries);
	}

	static EndpointPolicyView ofEngine(int endpointId, String pod, EndpointPolicy policy) {
		List<Entry> entries = new ArrayList<>(policy.entries().size());
		for (Map.Entry<MapEntry, List<PolicySource>> derived : policy.derivedFrom().entrySet()) {
			MapEntry entry = derived.getKey();
			entries.add(new Entry(entry.deny() ? "deny" : "allow", entry.direction().text(), entry.peer(),
					protocol(entry.protocol()), ports(entry), 0, prefix(entry), null, null,
					derived.getValue().stream().map(PolicySource::labels).toList()));
		}
		entries.sort(ORDER);
		return new EndpointPolicyView(endpointId, pod, policy.identity(), policy.ingressEnforced(),
				policy.egressEnforced(), POLICY_ENGINE, entries);
	}

	private static String protocol(int code) {
		return (code == 0) ? "ANY" : Protocol.fromCode(code).displayName();
	}

	private static boolean icmp(int protocol) {
		return protocol == ICMP || protocol == ICMPV6;
	}

	// The key's port bits: ICMP's type sits in the port's high byte.
	private static String ports(PolicyMapContents.Stored entry) {
		int portBits = entry.portPrefixLength() - 8;
		if (entry.protocol() == 0 || portBits <= 0) {
			return "ANY";
		}
		if (icmp(entry.protocol())) {
			return Integer.toString(entry.port() >> 8);
		}
		int last = entry.port() + (1 << (16 - portBits)) - 1;
		return (last == entry.port()) ? Integer.toString(entry.port()) : entry.port() + "-" + last;
	}

	// A port prefix covers 2^(16 - length) ports from the port: shown as the range it is.
	private static String ports(MapEntry entry) {
		if (entry.protocol() == 0 || entry.prefixLength() == 0) {
			return "ANY";
		}
		if (icmp(entry.protocol())) {
			return Integer.toString(entry.port());
		}
		int last = entry.port() + (1 << (16 - entry.prefixLength())) - 1;
		return (last == entry.port()) ? Integer.toString(entry.port()) : entry.port() + "-" + last;
	}

	private static int prefix(MapEntry entry) {
		if (entry.protocol() == 0) {
			return 0;
		}
		if (icmp(entry.protocol())) {
			return (entry.prefixLength() == 0) ? 8 : 16;
		}
		return 8 + entry.prefixLength();
	}

}
