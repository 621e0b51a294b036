package io.jcilium.bgp.nodeconfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.wire.AddressFamily;

/**
 * One peer's settings from its CiliumBGPPeerConfig, with upstream's defaults
 * ({@code CiliumBGPPeerConfigSpec.SetDefaults}): its TCP MD5 password from the Secret
 * {@code authSecretRef} names, and the TTL of its packets from {@code ebgpMultihop}.
 */
final class PeerSettings {

	static final int DEFAULT_PEER_PORT = 179;

	static final int DEFAULT_HOLD_TIME_SECONDS = 90;

	static final int DEFAULT_CONNECT_RETRY_SECONDS = 120;

	static final int DEFAULT_RESTART_TIME_SECONDS = 120;

	private static final int MAX_MD5_KEY_BYTES = NeighbourConfig.MAX_MD5_KEY_BYTES;

	private PeerSettings() {
	}

	/**
	 * The neighbour, or {@code null} (with a notice) when the speaker cannot run it as
	 * asked.
	 */
	static NeighbourConfig neighbour(CiliumBGPNodeConfig.Peer peer, CiliumBGPPeerConfig.Spec spec, long localAsn,
			PeerPasswords passwords, List<String> notices) {
		String what = "peer " + peer.name;
		if (peer.peerAddress == null) {
			notices.add(what + " left out: it has no peerAddress, and autoDiscovery is not supported yet");
			return null;
		}
		if (peer.peerASN == null || peer.peerASN == 0) {
			notices.add(what + " left out: peerASN 0 (learn the AS from the OPEN) is not supported yet; set peerASN");
			return null;
		}
		String password = null;
		if (spec.authSecretRef != null) {
			// Running it without the password would be a session the user did not ask
			// for.
			PeerPasswords.Lookup lookup = passwords.password(spec.authSecretRef);
			password = lookup.password();
			String problem = (password == null) ? lookup.problem()
					: (password.isEmpty() || password.getBytes(StandardCharsets.UTF_8).length > MAX_MD5_KEY_BYTES)
							? "the password must have 1-" + MAX_MD5_KEY_BYTES + " bytes" : null;
			if (problem != null) {
				notices.add(what + " left out: its TCP MD5 password (authSecretRef " + spec.authSecretRef + "): "
						+ problem);
				return null;
			}
		}
		if (spec.ebgpMultihop != null && (spec.ebgpMultihop < 1 || spec.ebgpMultihop > 255)) {
			notices.add(what + " left out: ebgpMultihop " + spec.ebgpMultihop + " is out of 1-255");
			return null;
		}
		CiliumBGPPeerConfig.Timers timers = Objects.requireNonNullElseGet(spec.timers, CiliumBGPPeerConfig.Timers::new);
		int hold = positive(timers.holdTimeSeconds, DEFAULT_HOLD_TIME_SECONDS);
		int keepalive = 0;
		if (timers.keepAliveTimeSeconds != null) {
			// upstream's CRD refuses a keepalive longer than the hold time
			if (timers.keepAliveTimeSeconds < 1 || (hold > 0 && timers.keepAliveTimeSeconds > hold)) {
				notices.add(what + ": keepAliveTimeSeconds " + timers.keepAliveTimeSeconds
						+ " must be 1 to holdTimeSeconds (" + hold + "); a third of the hold time is used");
			}
			else {
				keepalive = timers.keepAliveTimeSeconds;
			}
		}
		// As upstream's GoBGP: an eBGP session's packets carry TTL 1 (its peer must be
		// adjacent) unless ebgpMultihop allows more; iBGP keeps the system's TTL.
		int ttl = (peer.peerASN != localAsn) ? Objects.requireNonNullElse(spec.ebgpMultihop, 1) : 0;
		int restart = 0;
		if (spec.gracefulRestart != null && Boolean.TRUE.equals(spec.gracefulRestart.enabled)) {
			restart = positive(spec.gracefulRestart.restartTimeSeconds, DEFAULT_RESTART_TIME_SECONDS);
		}
		Set<AddressFamily> families = EnumSet.noneOf(AddressFamily.class);
		for (CiliumBGPPeerConfig.Family family : families(spec)) {
			AddressFamily known = family(family);
			if (known == null) {
				notices.add(what + ": family " + family.afi + "/" + family.safi
						+ " is not supported (ipv4/unicast and ipv6/unicast are)");
			}
			else {
				families.add(known);
			}
		}
		if (families.isEmpty()) {
			notices.add(what + " left out: none of its families is supported");
			return null;
		}
		int port = (spec.transport != null) ? positive(spec.transport.peerPort, DEFAULT_PEER_PORT) : DEFAULT_PEER_PORT;
		return new NeighbourConfig(address(peer.peerAddress, what + " peerAddress"), port, peer.peerASN, false, hold,
				positive(timers.connectRetryTimeSeconds, DEFAULT_CONNECT_RETRY_SECONDS), families, restart, null, ttl,
				password, keepalive);
	}

	/**
	 * The configured families, or upstream's default: IPv6 and IPv4 unicast, advertising
	 * nothing.
	 */
	static List<CiliumBGPPeerConfig.Family> families(CiliumBGPPeerConfig.Spec spec) {
		if (spec.families != null && !spec.families.isEmpty()) {
			return spec.families;
		}
		return List.of(family("ipv6"), family("ipv4"));
	}

	static AddressFamily family(CiliumBGPPeerConfig.Family family) {
		if (!"unicast".equals(family.safi)) {
			return null;
		}
		return switch (String.valueOf(family.afi)) {
			case "ipv4" -> AddressFamily.IPV4_UNICAST;
			case "ipv6" -> AddressFamily.IPV6_UNICAST;
			default -> null;
		};
	}

	static InetAddress address(String text, String what) {
		String trimmed = text.trim();
		if (!trimmed.matches("[0-9a-fA-F:.]+")) {
			throw new NodeConfigException(what + " '" + text + "' is not an IP address");
		}
		try {
			return InetAddress.getByName(trimmed);
		}
		catch (UnknownHostException ex) {
			throw new NodeConfigException(what + " '" + text + "' is not an IP address");
		}
	}

	private static CiliumBGPPeerConfig.Family family(String afi) {
		CiliumBGPPeerConfig.Family family = new CiliumBGPPeerConfig.Family();
		family.afi = afi;
		family.safi = "unicast";
		return family;
	}

	/** Upstream treats 0 like unset. */
	private static int positive(Integer value, int fallback) {
		return (value == null || value == 0) ? fallback : value;
	}

}
