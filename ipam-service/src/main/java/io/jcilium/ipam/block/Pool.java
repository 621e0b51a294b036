package io.jcilium.ipam.block;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A named pool with up to two families, each carved into blocks.
 *
 * @param name the pool's name (a Kubernetes object name, as for CiliumPodIPPool)
 * @param ipv4 the IPv4 space, empty when the pool has no IPv4 CIDRs
 * @param ipv6 the IPv6 space, empty when the pool has no IPv6 CIDRs
 */
public record Pool(String name, BlockSpace ipv4, BlockSpace ipv6) {

	private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

	/**
	 * Builds and validates a pool; every problem names the pool and the value at fault.
	 */
	public static Pool of(String name, List<String> ipv4Cidrs, int ipv4MaskSize, List<String> ipv6Cidrs,
			int ipv6MaskSize) {
		if (name == null || name.length() > 253 || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("pool name '" + name
					+ "' is not a valid name (lower-case letters, digits, '-' and '.', at most 253 characters)");
		}
		Pool pool = new Pool(name, new BlockSpace(name, Family.IPV4, orEmpty(ipv4Cidrs), ipv4MaskSize),
				new BlockSpace(name, Family.IPV6, orEmpty(ipv6Cidrs), ipv6MaskSize));
		if (pool.ipv4().isEmpty() && pool.ipv6().isEmpty()) {
			throw new IllegalArgumentException("pool '" + name + "' has neither IPv4 nor IPv6 CIDRs");
		}
		return pool;
	}

	public BlockSpace space(Family family) {
		return (family == Family.IPV4) ? this.ipv4 : this.ipv6;
	}

	/** The non-empty spaces, IPv4 first. */
	public List<BlockSpace> spaces() {
		List<BlockSpace> spaces = new ArrayList<>(2);
		if (!this.ipv4.isEmpty()) {
			spaces.add(this.ipv4);
		}
		if (!this.ipv6.isEmpty()) {
			spaces.add(this.ipv6);
		}
		return spaces;
	}

	/**
	 * Refuses pools whose CIDRs overlap: two pools sharing addresses would hand the same
	 * block to two nodes, which no atomic claim could prevent.
	 */
	public static void requireDisjoint(List<Pool> pools) {
		List<BlockSpace> all = pools.stream().flatMap((pool) -> pool.spaces().stream()).toList();
		for (int i = 0; i < all.size(); i++) {
			for (int j = i + 1; j < all.size(); j++) {
				if (all.get(i).overlaps(all.get(j))) {
					throw new IllegalArgumentException("IP pools overlap: pool '" + all.get(i).pool() + "' ("
							+ String.join(", ", all.get(i).cidrs()) + ") and pool '" + all.get(j).pool() + "' ("
							+ String.join(", ", all.get(j).cidrs()) + ") share addresses");
				}
			}
		}
	}

	private static List<String> orEmpty(List<String> cidrs) {
		return (cidrs != null) ? cidrs : List.of();
	}

}
