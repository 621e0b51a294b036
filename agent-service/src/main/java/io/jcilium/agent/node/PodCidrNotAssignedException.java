package io.jcilium.agent.node;

/**
 * This node's CiliumNode carries no pod CIDR yet, so no pod address can be given: the
 * agent waits for the operator rather than guess one.
 */
public class PodCidrNotAssignedException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	PodCidrNotAssignedException(String message) {
		super(message);
	}

}
