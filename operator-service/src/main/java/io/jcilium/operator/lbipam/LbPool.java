package io.jcilium.operator.lbipam;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.common.selector.LabelSelector;

/**
 * A {@code CiliumLoadBalancerIPPool} as the LB-IPAM rules see it.
 *
 * @param name the pool's name
 * @param creationOrder orders pools by age (e.g. creation time in milliseconds); on
 * overlap the newer pool is the one marked conflicting, as upstream
 * @param blocks the pool's {@code spec.blocks}
 * @param serviceSelector {@code spec.serviceSelector}; {@code null} selects every service
 * @param allowFirstLastIps {@code spec.allowFirstLastIPs: Yes}
 * @param disabled {@code spec.disabled}: no new allocations, existing ones stay
 */
public record LbPool(String name, long creationOrder, List<Block> blocks, LabelSelector serviceSelector,
		boolean allowFirstLastIps, boolean disabled) {

	public LbPool {
		blocks = List.copyOf(blocks);
	}

	/**
	 * The pool's blocks as address ranges.
	 * @return one range per block
	 * @throws IllegalArgumentException naming the first bad block
	 */
	List<AddressRange> ranges() {
		List<AddressRange> ranges = new ArrayList<>();
		for (Block block : this.blocks) {
			ranges.add(block.toRange(this.allowFirstLastIps));
		}
		return ranges;
	}

	boolean selects(LbService service) {
		return this.serviceSelector == null || this.serviceSelector.matches(service.selectorLabels());
	}

	/**
	 * One entry of {@code spec.blocks}: either {@code cidr} or {@code start} (and
	 * optionally {@code stop}).
	 *
	 * @param cidr the CIDR, or {@code null}
	 * @param start the first address of a range, or {@code null}
	 * @param stop the last address of a range, or {@code null}
	 */
	public record Block(String cidr, String start, String stop) {

		public static Block cidr(String cidr) {
			return new Block(cidr, null, null);
		}

		public static Block range(String start, String stop) {
			return new Block(null, start, stop);
		}

		AddressRange toRange(boolean allowFirstLast) {
			boolean hasCidr = this.cidr != null && !this.cidr.isBlank();
			boolean hasStart = this.start != null && !this.start.isBlank();
			if (hasCidr == hasStart) {
				throw new IllegalArgumentException(
						"a block must set either 'cidr' or 'start' (and 'stop'), not both or neither: " + this);
			}
			return hasCidr ? AddressRange.ofCidr(this.cidr, allowFirstLast)
					: AddressRange.ofStartStop(this.start, this.stop);
		}

	}

}
