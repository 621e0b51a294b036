package io.jcilium.agent.hubble.enrich;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.jcilium.agent.policy.RealizedPolicies;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.Policy;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.PolicySource;

/**
 * Names the rules behind a policy verdict, as upstream's Hubble policy correlation
 * (CFP-26438): a verdict event that allowed a connection gets the rules of the policy map
 * entry the datapath matched in {@code ingress_allowed_by} / {@code egress_allowed_by};
 * one that a deny rule dropped ({@code POLICY_DENY}) gets them in {@code *_denied_by}. A
 * drop for want of any allowing entry ({@code POLICY_DENIED}) has no rule to name.
 * <p>
 * The entry is found the way {@code bpf/lib/policy.h} looks it up: the most specific
 * entry for the peer's identity, else for any identity, a deny in either first. If the
 * entry found no longer says what the datapath decided (the policy changed in between),
 * nothing is named rather than the wrong rule. Each local identity's policy is read once
 * per policy revision, so a verdict costs a scan of its entries, not a copy of its
 * policy.
 */
public final class PolicyCorrelation {

	/** {@code CILIUM_NOTIFY_POLICY_VERDICT}. */
	static final int POLICY_VERDICT = 5;

	/** {@code DROP_POLICY_DENY}: a deny rule matched. */
	static final int POLICY_DENY = 181;

	/** Correlates nothing: for an agent without the policy cell. */
	public static final PolicyCorrelation NONE = new PolicyCorrelation(null);

	private final RealizedPolicies policies;

	private final Map<Long, EndpointPolicy> cached = new ConcurrentHashMap<>();

	private volatile long cachedRevision = Long.MIN_VALUE;

	/**
	 * @param policies the local identities' policies, {@code null} for none
	 */
	public PolicyCorrelation(RealizedPolicies policies) {
		this.policies = policies;
	}

	/**
	 * Adds the rules behind the flow's verdict, if it is a policy verdict.
	 * @param flow the flow, with both identities and its L4 decoded
	 */
	public void correlate(Flow.Builder flow) {
		if (this.policies == null || flow.getEventType().getType() != POLICY_VERDICT) {
			return;
		}
		boolean allowed = flow.getVerdict() == Verdict.FORWARDED;
		if (!allowed && flow.getDropReason() != POLICY_DENY) {
			return;
		}
		boolean egress = flow.getTrafficDirection() == TrafficDirection.EGRESS;
		if (!egress && flow.getTrafficDirection() != TrafficDirection.INGRESS) {
			return;
		}
		long local = Integer
			.toUnsignedLong(egress ? flow.getSource().getIdentity() : flow.getDestination().getIdentity());
		long peer = Integer
			.toUnsignedLong(egress ? flow.getDestination().getIdentity() : flow.getSource().getIdentity());
		EndpointPolicy policy = policyOf(local);
		if (policy == null) {
			return;
		}
		int protocol = protocol(flow.getL4());
		MapEntry entry = PolicyLookup.decisive(policy, egress ? Direction.EGRESS : Direction.INGRESS, peer, protocol,
				port(flow.getL4()));
		if (entry == null || entry.deny() == allowed) {
			return;
		}
		List<Policy> rules = policies(policy.derivedFrom(entry));
		if (allowed && egress) {
			flow.addAllEgressAllowedBy(rules);
		}
		else if (allowed) {
			flow.addAllIngressAllowedBy(rules);
		}
		else if (egress) {
			flow.addAllEgressDeniedBy(rules);
		}
		else {
			flow.addAllIngressDeniedBy(rules);
		}
	}

	private EndpointPolicy policyOf(long identity) {
		long revision = this.policies.revision();
		if (revision != this.cachedRevision) {
			this.cached.clear();
			this.cachedRevision = revision;
		}
		EndpointPolicy policy = this.cached.get(identity);
		if (policy == null) {
			policy = this.policies.policy(identity);
			if (policy != null) {
				this.cached.put(identity, policy);
			}
		}
		return policy;
	}

	private List<Policy> policies(List<PolicySource> sources) {
		long revision = this.cachedRevision;
		return sources.stream().map((source) -> {
			Policy.Builder policy = Policy.newBuilder().addAllLabels(source.labels()).setRevision(revision);
			if (!PolicySource.RESERVED.equals(source.kind())) {
				policy.setName(source.name()).setNamespace(source.namespace()).setKind(source.kind());
			}
			return policy.build();
		}).toList();
	}

	private static int protocol(Layer4 l4) {
		return switch (l4.getProtocolCase()) {
			case TCP -> Protocol.TCP.code();
			case UDP -> Protocol.UDP.code();
			case SCTP -> Protocol.SCTP.code();
			case ICMPV4 -> Protocol.ICMP.code();
			case ICMPV6 -> Protocol.ICMPV6.code();
			case PROTOCOL_NOT_SET -> Protocol.ANY.code();
		};
	}

	// ICMP policy is keyed by type in the port field (bpf/lib/parse.h).
	private static int port(Layer4 l4) {
		return switch (l4.getProtocolCase()) {
			case TCP -> l4.getTCP().getDestinationPort();
			case UDP -> l4.getUDP().getDestinationPort();
			case SCTP -> l4.getSCTP().getDestinationPort();
			case ICMPV4 -> l4.getICMPv4().getType();
			case ICMPV6 -> l4.getICMPv6().getType();
			case PROTOCOL_NOT_SET -> 0;
		};
	}

}
