package io.jcilium.agent.datapath.lb;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.BpfObject;

/**
 * The LB maps of one loaded object, by their names in {@code bpf/lib/lb.h}.
 *
 * @param services {@code lb_services}
 * @param backends {@code lb_backends}
 * @param reverseNat {@code lb_reverse_nat}
 * @param affinityMatch {@code lb_affinity_mt}
 */
public record LbMapSet(BpfMap services, BpfMap backends, BpfMap reverseNat, BpfMap affinityMatch) {

	/** Every map of lb.h, to pin them all under the agent's prefix. */
	public static final String[] NAMES = { "lb_services", "lb_backends", "lb_reverse_nat", "lb_sock_revnat",
			"lb_affinity", "lb_affinity_mt" };

	/**
	 * The maps of a loaded object.
	 * @param object bpf_sock.o, loaded
	 * @return the maps
	 */
	public static LbMapSet of(BpfObject object) {
		return new LbMapSet(object.map("lb_services"), object.map("lb_backends"), object.map("lb_reverse_nat"),
				object.map("lb_affinity_mt"));
	}

}
