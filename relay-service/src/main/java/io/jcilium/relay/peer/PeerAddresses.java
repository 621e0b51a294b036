package io.jcilium.relay.peer;

/**
 * Peer addresses as agents announce them: jcilium's agents send host:port, upstream's
 * send the node IP alone, to which the relay adds the Hubble port (4244 by default), as
 * upstream's relay does.
 */
final class PeerAddresses {

	private PeerAddresses() {
	}

	/**
	 * The address with a port.
	 * @param address an IP or host, with or without a port; IPv6 with or without brackets
	 * @param defaultPort the port to add when there is none
	 * @return host:port, IPv6 in brackets
	 */
	static String withPort(String address, int defaultPort) {
		String trimmed = address.trim();
		if (trimmed.isEmpty()) {
			throw new IllegalArgumentException("the peer has no address");
		}
		if (trimmed.startsWith("[")) {
			return trimmed.contains("]:") ? trimmed : trimmed + ":" + defaultPort;
		}
		int colons = trimmed.length() - trimmed.replace(":", "").length();
		if (colons > 1) {
			return "[" + trimmed + "]:" + defaultPort;
		}
		return (colons == 1) ? trimmed : trimmed + ":" + defaultPort;
	}

}
