package io.jcilium.agent.ipam;

import java.util.List;

/**
 * What {@link PodIpAllocator#restore} took back and what it refused, with the reason.
 *
 * @param restored the allocations now in force
 * @param rejected one line per persisted entry that was not restored, saying why
 */
public record RestoreResult(List<PodIpAllocation> restored, List<String> rejected) {

	public RestoreResult {
		restored = List.copyOf(restored);
		rejected = List.copyOf(rejected);
	}

}
