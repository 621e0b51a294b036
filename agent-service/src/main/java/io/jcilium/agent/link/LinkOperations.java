package io.jcilium.agent.link;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * What the endpoint lifecycle needs from the kernel to connect a pod to the node.
 */
public interface LinkOperations {

	/**
	 * Creates the veth pair, moves the pod end into the pod's network namespace, gives it
	 * the pod address and the routes through the node, and prepares the node end (proxy
	 * ARP, forwarding, a host route to the pod).
	 * @throws LinkException when any step fails; what was created is removed again
	 */
	PodLink createPodLink(PodLinkSpec spec);

	/**
	 * Removes the node end of the veth pair (the kernel removes the pod end and the host
	 * route with it). Idempotent: a missing link is not an error.
	 */
	void deletePodLink(String hostIfName);

	/** Whether the node end of a pod's veth pair exists. */
	boolean hostLinkExists(String hostIfName);

	/**
	 * The node ends of every pod veth on the node, by name, whoever created them: a veth
	 * no endpoint owns may still carry the programs of an endpoint the agent lost (its
	 * state file was quarantined). Implementations that cannot list links throw, and the
	 * caller keeps what such a veth could still use.
	 * @throws LinkException when the links cannot be listed
	 */
	default Set<String> podHostLinks() {
		throw new LinkException(getClass().getSimpleName() + " cannot list the node's pod veths");
	}

	/**
	 * Whether a pod's network namespace still exists (restore asks: a pod that went away
	 * while the agent was down must be cleaned up, not restored).
	 */
	default boolean namespaceExists(String netnsPath) {
		return netnsPath != null && Files.exists(Path.of(netnsPath));
	}

}
