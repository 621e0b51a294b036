package io.jcilium.common.policy.model;

/**
 * Where a rule came from, for traces and errors: the object kind, its namespace (empty
 * for cluster-wide policies) and name, and the index of the rule in a {@code specs} list.
 *
 * @param kind {@code NetworkPolicy}, {@code CiliumNetworkPolicy} or
 * {@code CiliumClusterwideNetworkPolicy}
 * @param namespace the namespace, empty for cluster-wide policies
 * @param name the object name
 * @param index the rule index inside the object
 */
public record PolicySource(String kind, String namespace, String name, int index) {

	@Override
	public String toString() {
		String where = namespace.isEmpty() ? name : namespace + "/" + name;
		return kind + " " + where + ((index > 0) ? "[" + index + "]" : "");
	}

	/**
	 * The object this rule belongs to, without the rule index (rules of one object are
	 * added and removed together).
	 * @return kind/namespace/name
	 */
	public String objectKey() {
		return kind + "/" + namespace + "/" + name;
	}

}
