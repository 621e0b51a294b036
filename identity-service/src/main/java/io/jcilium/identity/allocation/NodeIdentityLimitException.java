package io.jcilium.identity.allocation;

/**
 * The node already refers to as many identities as it may, and the allocation would add
 * another: one node (or whoever acts for it) must not use up the cluster's identities.
 */
public class NodeIdentityLimitException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public NodeIdentityLimitException(String node, int limit) {
		super("node '" + node + "' already refers to " + limit
				+ " identities, the most jcilium.identity.allocation.max-identities-per-node allows; release unused ones first");
	}

}
