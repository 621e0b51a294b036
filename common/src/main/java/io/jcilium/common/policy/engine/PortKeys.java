package io.jcilium.common.policy.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.jcilium.common.net.PortRange;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.model.PeerRule;
import io.jcilium.common.policy.model.PortRule;

/**
 * Turns the port terms of a rule into policy map port keys: ranges split into prefixes,
 * protocol {@code ANY} with a port expanded to TCP, UDP and SCTP (as upstream does, since
 * a port means nothing without a port-carrying protocol), named ports resolved.
 */
final class PortKeys {

	private static final Protocol[] PORT_PROTOCOLS = { Protocol.TCP, Protocol.UDP, Protocol.SCTP };

	private PortKeys() {
	}

	/**
	 * The keys of a rule.
	 * @param rule the peer rule
	 * @param namedPorts the ports its named ports may resolve to (for ingress the
	 * endpoint's own, for egress every known endpoint's)
	 * @return the keys; empty if the rule's only ports are names that resolve to nothing
	 */
	static List<Key> of(PeerRule rule, Collection<NamedPort> namedPorts) {
		List<Key> keys = new ArrayList<>();
		if (rule.ports().isEmpty()) {
			keys.add(new Key(0, 0, 0));
			return keys;
		}
		for (PortRule port : rule.ports()) {
			if (port.isIcmp()) {
				keys.add(new Key(port.protocol().code(), port.icmpType(), 16));
			}
			else if (port.isNamed()) {
				for (NamedPort named : namedPorts) {
					if (named.name().equals(port.namedPort())
							&& (port.protocol() == Protocol.ANY || port.protocol() == named.protocol())) {
						addRange(keys, named.protocol(), PortRange.of(named.port()));
					}
				}
			}
			else if (port.protocol() == Protocol.ANY && !port.range().isAny()) {
				for (Protocol protocol : PORT_PROTOCOLS) {
					addRange(keys, protocol, port.range());
				}
			}
			else {
				addRange(keys, port.protocol(), port.range());
			}
		}
		return keys.stream().distinct().toList();
	}

	private static void addRange(List<Key> keys, Protocol protocol, PortRange range) {
		for (PortRange.PortMask mask : range.masks()) {
			keys.add(new Key(protocol.code(), mask.port(), mask.prefixLength()));
		}
	}

	/**
	 * Protocol and port prefix of a map key.
	 *
	 * @param protocol protocol number, 0 for any
	 * @param port port or ICMP type
	 * @param prefixLength port prefix length
	 */
	record Key(int protocol, int port, int prefixLength) {
	}

}
