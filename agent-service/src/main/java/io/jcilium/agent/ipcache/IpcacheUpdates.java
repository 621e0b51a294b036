package io.jcilium.agent.ipcache;

import java.net.InetAddress;

import io.jcilium.common.net.Cidr;

/**
 * Entries of the ipcache that come from outside this node's endpoints: other nodes'
 * addresses and pod CIDRs, other nodes' pods (from their {@code CiliumEndpoint}s).
 */
public interface IpcacheUpdates {

	/**
	 * Maps a prefix to a security identity.
	 * @param prefix the address or prefix
	 * @param identity the identity of traffic from or to it
	 * @param tunnelEndpoint the node that hosts it, or {@code null} if local or not
	 * tunnelled
	 */
	void upsert(Cidr prefix, long identity, InetAddress tunnelEndpoint);

	/**
	 * Removes a prefix; a missing one is ignored.
	 * @param prefix the address or prefix
	 */
	void remove(Cidr prefix);

}
