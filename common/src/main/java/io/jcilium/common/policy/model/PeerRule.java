package io.jcilium.common.policy.model;

import java.util.List;

/**
 * One ingress or egress rule: which peers, on which ports, allowed or denied.
 * <p>
 * {@code peers == null} means the rule names no peer and so applies to every peer
 * (upstream's L4-only rule, NP's absent {@code from}); an empty list means it selects no
 * peer at all (upstream since 1.15 for an explicit {@code fromEndpoints: []}, and the
 * {@code ingress: [{}]} of a CiliumNetworkPolicy). An empty {@code ports} list means
 * every port and protocol.
 *
 * @param direction ingress or egress
 * @param deny whether matching traffic is denied
 * @param peers the peers, or {@code null} for any peer
 * @param ports the ports, empty for all
 * @param toServices the rule's {@code toServices} terms (egress only); the peers they
 * resolve to are in {@code peers} once resolved, and a rule with terms never has
 * {@code peers == null}
 */
public record PeerRule(Direction direction, boolean deny, List<Peer> peers, List<PortRule> ports,
		List<ToService> toServices) {

	public PeerRule {
		peers = (peers != null) ? List.copyOf(peers) : null;
		ports = List.copyOf(ports);
		toServices = List.copyOf(toServices);
		if (!toServices.isEmpty() && peers == null) {
			throw new IllegalArgumentException("a rule with toServices selects only their backends, not any peer");
		}
	}

	/**
	 * A rule without {@code toServices}.
	 * @param direction ingress or egress
	 * @param deny whether matching traffic is denied
	 * @param peers the peers, or {@code null} for any peer
	 * @param ports the ports, empty for all
	 */
	public PeerRule(Direction direction, boolean deny, List<Peer> peers, List<PortRule> ports) {
		this(direction, deny, peers, ports, List.of());
	}

	/**
	 * This rule with the peers its {@code toServices} terms resolve to added to the peers
	 * it names itself.
	 * @param resolved the services' peers
	 * @return the resolved rule
	 */
	public PeerRule withServicePeers(List<Peer> resolved) {
		List<Peer> all = new java.util.ArrayList<>(this.peers);
		for (Peer peer : resolved) {
			if (!all.contains(peer)) {
				all.add(peer);
			}
		}
		return new PeerRule(this.direction, this.deny, all, this.ports, this.toServices);
	}

	public boolean anyPeer() {
		return this.peers == null;
	}

	@Override
	public String toString() {
		return (this.deny ? "deny " : "allow ") + this.direction.text() + " "
				+ (anyPeer() ? "any peer" : this.peers.toString()) + " "
				+ (this.toServices.isEmpty() ? "" : "toServices " + this.toServices + " ")
				+ (this.ports.isEmpty() ? "all ports" : this.ports.toString());
	}

}
