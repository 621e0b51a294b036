package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.util.Optional;

/**
 * What the API server says about the addresses of this node's pods
 * ({@code status.podIPs}, {@code status.podIP}), as far as the pod informer knows: the
 * proof an orphaned address needs before it is freed ({@link OrphanReconciler}).
 */
public interface LocalPodAddresses {

	/**
	 * Whether the pod informer has listed this node's pods once; before that an absent
	 * claim proves nothing.
	 * @return whether the answers of {@link #claimant} are complete
	 */
	boolean synced();

	/**
	 * The pod of this node whose status holds {@code ip}.
	 * @param ip the address
	 * @return {@code namespace/name} of the pod, or empty if no local pod has it
	 */
	Optional<String> claimant(InetAddress ip);

	/**
	 * Registers a listener run after any change of this node's pods.
	 * @param listener run on the informer's thread; must be quick
	 */
	void whenChanged(Runnable listener);

}
