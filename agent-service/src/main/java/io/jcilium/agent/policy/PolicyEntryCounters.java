package io.jcilium.agent.policy;

import java.util.List;

import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.PolicySource;

/**
 * What the datapath counted per policy map entry, as the policy cell's maps are read back
 * (Hubble's per-rule bytes sum them per policy): the packet and byte counters the
 * datapath keeps on each entry of each local endpoint's policy map, which {@code bpf_lxc}
 * charges with every packet of the connections an entry admitted and every packet a deny
 * entry dropped (see {@code policy_charge} in {@code bpf/lib/policy.h}).
 */
@FunctionalInterface
public interface PolicyEntryCounters {

	/** No datapath: nothing counted. */
	PolicyEntryCounters NONE = (visitor) -> {
	};

	/**
	 * Hands over the counters of every entry of the endpoints' policies that the datapath
	 * holds now; an entry the map does not hold is left out.
	 * @param visitor called once per endpoint and entry
	 */
	void read(EntryVisitor visitor);

	/** What receives one policy map entry's counters. */
	@FunctionalInterface
	interface EntryVisitor {

		/**
		 * @param endpointId the endpoint whose map holds the entry
		 * @param entry the entry, as the policy engine computed it
		 * @param derivedFrom the rules deriving it
		 * @param packets packets charged to it since it was written
		 * @param bytes bytes charged to it since it was written
		 */
		void entry(int endpointId, MapEntry entry, List<PolicySource> derivedFrom, long packets, long bytes);

	}

}
