package io.jcilium.agent.endpoint;

import java.time.Instant;

/**
 * An address and node-side veth of a container interface that has no endpoint: its state
 * file was quarantined, or the previous agent did not finish its ADD. Its pod may still
 * run, so both are held until CNI DEL of the pod or until the API server proves the
 * address unused ({@link OrphanReconciler}).
 *
 * @param containerId the container
 * @param ifName its interface
 * @param ip the address held
 * @param hostIfName the node-side veth held
 * @param cause why it has no endpoint
 * @param heldSince when the reconciler first saw it, {@code null} before
 * @param heldBecause why it is still held now
 */
public record HeldOrphan(String containerId, String ifName, String ip, String hostIfName, String cause,
		Instant heldSince, String heldBecause) {

	HeldOrphan seen(Instant since, String because) {
		return new HeldOrphan(this.containerId, this.ifName, this.ip, this.hostIfName, this.cause, since, because);
	}

}
