package io.jcilium.agent.datapath.endpoint;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import io.jcilium.agent.ipcache.IpcacheUpdates;
import io.jcilium.common.net.Cidr;

/**
 * Entries from outside this node's endpoints (other nodes and their pods, CIDR
 * identities) written into the node's shared ipcache map; never over a local endpoint's
 * own entry ({@link IpcacheOwners}).
 */
public final class BpfIpcache implements IpcacheUpdates {

	private final SharedMaps maps;

	public BpfIpcache(SharedMaps maps) {
		this.maps = maps;
	}

	@Override
	public void upsert(Cidr prefix, long identity, InetAddress tunnelEndpoint) {
		if (identity <= 0 || identity > 0xffffffffL) {
			throw new IllegalArgumentException("identity " + identity + " of " + prefix + " is out of range");
		}
		Inet4Address tunnel = null;
		if (tunnelEndpoint != null) {
			if (!(tunnelEndpoint instanceof Inet4Address v4)) {
				throw new IllegalArgumentException(
						"tunnel endpoint " + tunnelEndpoint + " of " + prefix + " must be IPv4 (VXLAN underlay)");
			}
			tunnel = v4;
		}
		this.maps.ipcacheOwners().putFeed(network(prefix), prefix.prefixLength(), (int) identity, tunnel);
	}

	@Override
	public void remove(Cidr prefix) {
		this.maps.ipcacheOwners().removeFeed(network(prefix), prefix.prefixLength());
	}

	private static InetAddress network(Cidr prefix) {
		try {
			return InetAddress.getByName(prefix.network());
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("bad prefix " + prefix, ex);
		}
	}

}
