package io.jcilium.common.datapath;

/**
 * How a policy verdict matched, as the datapath reports it in a flow's
 * {@code policy_match_type}, with upstream's {@code monitorAPI.PolicyMatchType} names
 * (what {@code hubble observe} prints after {@code policy-verdict:} and the {@code match}
 * label of {@code hubble_policy_verdicts_total}).
 */
public final class PolicyMatchType {

	private static final String[] NAMES = { "none", "L3-Only", "L3-L4", "L4-Only", "all", "L3-Proto", "Proto-Only" };

	private PolicyMatchType() {
	}

	/**
	 * Upstream's name of a match type.
	 * @param type the flow's {@code policy_match_type}
	 * @return its name, {@code unknown} for a number upstream does not define
	 */
	public static String name(int type) {
		return (type >= 0 && type < NAMES.length) ? NAMES[type] : "unknown";
	}

}
