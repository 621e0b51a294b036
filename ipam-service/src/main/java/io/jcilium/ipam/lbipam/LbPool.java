package io.jcilium.ipam.lbipam;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A {@code CiliumLoadBalancerIPPool} as LB-IPAM needs it.
 *
 * @param name the pool's name
 * @param blocks {@code spec.blocks}: each a CIDR, or a start (and optional stop) address
 * @param allowFirstLastIps {@code spec.allowFirstLastIPs}: false reserves the first and
 * last address of each CIDR (ignored for /31, /32, /127, /128, as upstream does)
 * @param disabled {@code spec.disabled}: no new assignments, existing ones stay
 * @param serviceSelector {@code spec.serviceSelector} over the service's labels
 */
public record LbPool(String name, List<Block> blocks, boolean allowFirstLastIps, boolean disabled,
		Predicate<Map<String, String>> serviceSelector) {

	/** A pool that serves every service. */
	public static LbPool of(String name, Block... blocks) {
		return new LbPool(name, List.of(blocks), true, false, (labels) -> true);
	}

	/**
	 * One block: {@code cidr}, or {@code start}/{@code stop}.
	 *
	 * @param cidr a CIDR, or null
	 * @param start first address of a range, or null
	 * @param stop last address of a range (null: just start)
	 */
	public record Block(String cidr, String start, String stop) {

		public static Block cidr(String cidr) {
			return new Block(cidr, null, null);
		}

		public static Block range(String start, String stop) {
			return new Block(null, start, stop);
		}

	}

}
