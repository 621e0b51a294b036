package io.jcilium.bgp.nodeconfig;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.session.PeerStatus;
import io.jcilium.bgp.wire.AddressFamily;

/**
 * The status the speaker writes back to its CiliumBGPNodeConfig, in upstream's shape: per
 * instance its local AS and, per peer of the spec that runs, the peering state
 * ({@code idle}, {@code connect}, {@code active}, {@code opensent}, {@code openconfirm},
 * {@code established}), when it was established (RFC 3339, whole seconds) and the routes
 * received and advertised per family. A session's established time is remembered, so a
 * status computed again from uptimes is equal while nothing changed and is not written
 * again. Plain Java.
 */
final class NodeConfigStatus {

	/** Two uptimes read at different moments can round to neighbouring seconds. */
	private static final Duration SAME_SESSION = Duration.ofSeconds(2);

	private final Map<String, Instant> establishedSince = new HashMap<>();

	/**
	 * @param config the node config in force
	 * @param peers the speaker's neighbours now, or none when it does not run
	 * @param now the current time
	 * @return the status to write
	 */
	synchronized CiliumBGPNodeConfig.Status of(CiliumBGPNodeConfig config, List<PeerStatus> peers, Instant now) {
		Map<String, PeerStatus> byAddress = new HashMap<>();
		peers.forEach((peer) -> byAddress.put(peer.peerAddress(), peer));
		CiliumBGPNodeConfig.Status status = new CiliumBGPNodeConfig.Status();
		status.bgpInstances = new ArrayList<>();
		Map<String, Instant> stillUp = new HashMap<>();
		for (CiliumBGPNodeConfig.Instance instance : instances(config)) {
			CiliumBGPNodeConfig.InstanceStatus instanceStatus = new CiliumBGPNodeConfig.InstanceStatus();
			instanceStatus.name = instance.name;
			instanceStatus.localASN = instance.localASN;
			instanceStatus.peers = new ArrayList<>();
			for (CiliumBGPNodeConfig.Peer peer : Objects.requireNonNullElse(instance.peers,
					List.<CiliumBGPNodeConfig.Peer>of())) {
				PeerStatus running = (peer.peerAddress != null) ? byAddress.get(normalised(peer.peerAddress)) : null;
				if (running != null) {
					instanceStatus.peers.add(peer(peer, running, now, stillUp));
				}
			}
			status.bgpInstances.add(instanceStatus);
		}
		this.establishedSince.keySet().retainAll(stillUp.keySet());
		this.establishedSince.putAll(stillUp);
		return status;
	}

	private CiliumBGPNodeConfig.PeerStatus peer(CiliumBGPNodeConfig.Peer peer, PeerStatus running, Instant now,
			Map<String, Instant> stillUp) {
		CiliumBGPNodeConfig.PeerStatus status = new CiliumBGPNodeConfig.PeerStatus();
		status.name = peer.name;
		status.peerAddress = peer.peerAddress;
		status.peerASN = running.peerAsn();
		status.peeringState = state(running.state());
		if (running.state() == SessionState.ESTABLISHED) {
			Instant since = now.minus(running.uptime()).truncatedTo(ChronoUnit.SECONDS);
			Instant known = this.establishedSince.get(running.peerAddress());
			if (known != null && Duration.between(known, since).abs().compareTo(SAME_SESSION) <= 0) {
				since = known;
			}
			stillUp.put(running.peerAddress(), since);
			status.establishedTime = DateTimeFormatter.ISO_INSTANT.format(since);
			status.routeCount = new ArrayList<>();
			for (AddressFamily family : AddressFamily.values()) {
				if (running.families().contains(family)) {
					CiliumBGPNodeConfig.RouteCount count = new CiliumBGPNodeConfig.RouteCount();
					count.afi = (family == AddressFamily.IPV4_UNICAST) ? "ipv4" : "ipv6";
					count.safi = "unicast";
					count.received = running.received().getOrDefault(family, 0);
					count.advertised = running.advertised().getOrDefault(family, 0);
					status.routeCount.add(count);
				}
			}
		}
		return status;
	}

	/** Upstream's (GoBGP's) session state names. */
	static String state(SessionState state) {
		return state.name().toLowerCase().replace("_", "");
	}

	private static List<CiliumBGPNodeConfig.Instance> instances(CiliumBGPNodeConfig config) {
		return (config.getSpec() != null)
				? Objects.requireNonNullElse(config.getSpec().bgpInstances, List.<CiliumBGPNodeConfig.Instance>of())
				: List.of();
	}

	/** The address as the speaker names its neighbour ({@code InetAddress} text). */
	private static String normalised(String address) {
		try {
			return PeerSettings.address(address, "peerAddress").getHostAddress();
		}
		catch (NodeConfigException ex) {
			return address;
		}
	}

}
