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
 */
public record PeerRule(Direction direction, boolean deny, List<Peer> peers, List<PortRule> ports) {

	public PeerRule {
		peers = (peers != null) ? List.copyOf(peers) : null;
		ports = List.copyOf(ports);
	}

	public boolean anyPeer() {
		return this.peers == null;
	}

	@Override
	public String toString() {
		return (this.deny ? "deny " : "allow ") + this.direction.text() + " "
				+ (anyPeer() ? "any peer" : this.peers.toString()) + " "
				+ (this.ports.isEmpty() ? "all ports" : this.ports.toString());
	}

}
