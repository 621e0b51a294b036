package io.jcilium.agent.ipam;

/**
 * Multi-pool: the pod's pool has no free address on this node (no block yet, or every
 * block full) and none arrived in the time a CNI ADD waits for the operator.
 */
public class NoPoolCapacityException extends PodIpExhaustedException {

	private static final long serialVersionUID = 1L;

	NoPoolCapacityException(String message) {
		super(message);
	}

}
