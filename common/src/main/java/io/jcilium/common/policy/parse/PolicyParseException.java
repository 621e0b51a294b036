package io.jcilium.common.policy.parse;

/**
 * A policy that cannot be accepted, with the field path of the problem, e.g.
 * {@code CiliumNetworkPolicy x/allow: spec.ingress[0].toPorts[0].ports[0].endPort: endPort 70 is
 * smaller than port 80}.
 */
public class PolicyParseException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String path;

	private final String problem;

	PolicyParseException(String path, String problem) {
		super(path + ": " + problem);
		this.path = path;
		this.problem = problem;
	}

	PolicyParseException(String path, String problem, Throwable cause) {
		super(path + ": " + problem, cause);
		this.path = path;
		this.problem = problem;
	}

	/**
	 * What is wrong, without the path.
	 * @return the problem
	 */
	public String problem() {
		return this.problem;
	}

	/**
	 * The field path of the problem, prefixed by the object it is in.
	 * @return e.g. {@code NetworkPolicy x/p: spec.ingress[0].from[1].ipBlock.cidr}
	 */
	public String path() {
		return this.path;
	}

}
