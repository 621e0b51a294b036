package io.jcilium.common.policy.trace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.engine.EnforcementMode;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PeerRule;
import io.jcilium.common.policy.model.PodLabels;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.PortRule;

/**
 * Answers "would this connection be allowed, and by which rules" from the rules in an
 * engine, evaluating them directly (not through the map entries, so that the two can be
 * checked against each other).
 */
public final class PolicyTracer {

	private final PolicyEngine engine;

	public PolicyTracer(PolicyEngine engine) {
		this.engine = engine;
	}

	/**
	 * Trace a new connection. Egress is evaluated when the source is a pod, ingress when
	 * the destination is one.
	 * @param from the source identity
	 * @param fromPorts the source's named ports (unused except for symmetry), may be
	 * empty
	 * @param to the destination identity
	 * @param toPorts the destination's named ports, for ingress named-port rules
	 * @param protocol the protocol
	 * @param port destination port, or ICMP type
	 * @return the verdict and the deciding rules
	 */
	public TraceResult trace(Identity from, Identity to, List<NamedPort> toPorts, Protocol protocol, int port) {
		DirectionDecision egress = isPod(from)
				? decide(from, to, Direction.EGRESS, protocol, port, this.engine.allNamedPorts()) : null;
		DirectionDecision ingress = isPod(to) ? decide(to, from, Direction.INGRESS, protocol, port, toPorts) : null;
		boolean allowed = (egress == null || egress.verdict() == Verdict.ALLOWED)
				&& (ingress == null || ingress.verdict() == Verdict.ALLOWED);
		return new TraceResult(allowed ? Verdict.ALLOWED : Verdict.DENIED, egress, ingress);
	}

	/**
	 * Trace between label sets, like {@code cilium-dbg policy trace -s LABELS -d LABELS}:
	 * a label set of one reserved identity ({@code reserved:world},
	 * {@code reserved:host}, ...) stands for that identity; any other set is traced as an
	 * endpoint with those labels.
	 * @param from source labels
	 * @param to destination labels
	 * @param port port and protocol
	 * @return the verdict and the deciding rules
	 */
	public TraceResult trace(Labels from, Labels to, PortProtocol port) {
		return trace(from, to, List.of(), port);
	}

	/**
	 * Trace between label sets, the destination's named ports known (a pod's container
	 * ports), so that ingress rules naming a port resolve as for the pod itself.
	 * @param from source labels
	 * @param to destination labels
	 * @param toPorts the destination's named ports, may be empty
	 * @param port port and protocol
	 * @return the verdict and the deciding rules
	 */
	public TraceResult trace(Labels from, Labels to, List<NamedPort> toPorts, PortProtocol port) {
		return trace(identityOf(from), identityOf(to), toPorts, port.protocol(), port.port());
	}

	private static Identity identityOf(Labels labels) {
		if (labels.size() == 1 && labels.toList().get(0).source().equals(Label.SOURCE_RESERVED)) {
			ReservedIdentity reserved = ReservedIdentity.fromName(labels.toList().get(0).key());
			return Identity.reserved(reserved);
		}
		// Not in any identity table: an id no selector keys on, so only labels decide.
		return Identity.of(-1, labels);
	}

	private DirectionDecision decide(Identity subject, Identity peer, Direction direction, Protocol protocol, int port,
			Collection<NamedPort> namedPorts) {
		if (this.engine.mode() == EnforcementMode.NEVER) {
			return new DirectionDecision(direction, false, Verdict.ALLOWED, "policy enforcement mode is never",
					List.of());
		}
		boolean init = EnforcementMode.heldAtInit(subject.labels());
		boolean enforced = this.engine.mode() == EnforcementMode.ALWAYS || init;
		List<String> enforcing = new ArrayList<>();
		List<String> allowing = new ArrayList<>();
		List<String> denying = new ArrayList<>();
		for (PolicyRule rule : this.engine.rules()) {
			if (!rule.subject().matches(subject.labels())) {
				continue;
			}
			if (rule.defaultDeny(direction)) {
				enforced = true;
				enforcing.add(rule.source().toString());
			}
			for (PeerRule peerRule : rule.rules()) {
				if (peerRule.direction() == direction && peerMatches(peerRule, peer)
						&& portMatches(peerRule, protocol, port, namedPorts)) {
					(peerRule.deny() ? denying : allowing).add(rule.source() + ": " + peerRule);
				}
			}
		}
		if (!denying.isEmpty()) {
			return new DirectionDecision(direction, enforced, Verdict.DENIED, "denied by a deny rule", denying);
		}
		if (!allowing.isEmpty()) {
			return new DirectionDecision(direction, enforced, Verdict.ALLOWED, "allowed by a rule", allowing);
		}
		if (!enforced) {
			return new DirectionDecision(direction, false, Verdict.ALLOWED,
					"no rule enforces " + direction.text() + " policy on this endpoint", List.of());
		}
		if (direction == Direction.INGRESS && this.engine.allowLocalhost() && peer.id() == ReservedIdentity.HOST.id()) {
			return new DirectionDecision(direction, true, Verdict.ALLOWED, "the local host is always allowed",
					List.of());
		}
		String reason = "default deny: no rule allows it";
		if (enforcing.isEmpty() && init) {
			reason = "default deny: the endpoint has the reserved:init identity (its labels are not known yet)";
		}
		else if (enforcing.isEmpty() && this.engine.mode() == EnforcementMode.ALWAYS) {
			reason = "default deny: enforcement mode is always";
		}
		return new DirectionDecision(direction, true, Verdict.DENIED, reason, enforcing);
	}

	private static boolean peerMatches(PeerRule rule, Identity peer) {
		if (rule.anyPeer()) {
			return true;
		}
		for (Peer candidate : rule.peers()) {
			if (candidate.selects(peer)) {
				return true;
			}
		}
		return false;
	}

	private static boolean portMatches(PeerRule rule, Protocol protocol, int port, Collection<NamedPort> namedPorts) {
		if (rule.ports().isEmpty()) {
			return true;
		}
		for (PortRule term : rule.ports()) {
			if (term.isIcmp()) {
				if (term.protocol() == protocol && term.icmpType() == port) {
					return true;
				}
			}
			else if (term.isNamed()) {
				for (NamedPort named : namedPorts) {
					if (named.name().equals(term.namedPort()) && named.port() == port && named.protocol() == protocol
							&& (term.protocol() == Protocol.ANY || term.protocol() == protocol)) {
						return true;
					}
				}
			}
			else if (protocolMatches(term, protocol) && term.range().contains(port)) {
				return true;
			}
		}
		return false;
	}

	private static boolean protocolMatches(PortRule term, Protocol protocol) {
		if (term.protocol() == protocol) {
			return true;
		}
		if (term.protocol() != Protocol.ANY) {
			return false;
		}
		// ANY with a port means the port-carrying protocols; ANY without one means
		// everything.
		return term.range().isAny() || protocol == Protocol.TCP || protocol == Protocol.UDP
				|| protocol == Protocol.SCTP;
	}

	/**
	 * A pod, or a local endpoint whose labels are not known yet (reserved:init); an init
	 * peer elsewhere is enforced by its own node, as the other externals.
	 */
	private boolean isPod(Identity identity) {
		return identity.labels().get(PodLabels.NAMESPACE_LABEL).isPresent()
				|| (EnforcementMode.heldAtInit(identity.labels()) && this.engine.policy(identity.id()) != null);
	}

}
