package io.jcilium.agent.hubble.enrich;

import java.util.Optional;

/**
 * The pods of other nodes by address, as upstream's Hubble names a remote peer from the
 * ipcache's Kubernetes metadata (namespace and pod name; upstream has no workloads for
 * remote peers).
 */
public interface RemotePods {

	/** Knows no pod: outside Kubernetes. */
	RemotePods NONE = (address) -> Optional.empty();

	/**
	 * @param address an IP address as flows show it
	 * @return the pod at that address, if known
	 */
	Optional<RemotePod> byAddress(String address);

	/**
	 * A pod of another node.
	 *
	 * @param namespace its namespace
	 * @param podName its name
	 */
	record RemotePod(String namespace, String podName) {
	}

}
