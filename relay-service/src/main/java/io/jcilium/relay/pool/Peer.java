package io.jcilium.relay.pool;

/**
 * A node whose Hubble API the relay reads, as the peer service announced it.
 *
 * @param name the node's name ({@code cluster/node} outside the default cluster)
 * @param address host:port of its Hubble API
 * @param tlsServerName the name its certificate carries; empty when it serves plaintext
 */
public record Peer(String name, String address, String tlsServerName) {

	public Peer {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("a peer needs a name");
		}
		if (address == null || address.isBlank()) {
			throw new IllegalArgumentException("peer " + name + " has no address");
		}
		tlsServerName = (tlsServerName != null) ? tlsServerName : "";
	}

}
