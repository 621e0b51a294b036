package io.jcilium.operator.lbipam;

import java.util.List;
import java.util.Map;

/**
 * What LB-IPAM wants the cluster to look like: the addresses and condition of each
 * Service it handles, and the conditions of each pool.
 *
 * @param services by {@code namespace/name}
 * @param pools by pool name
 */
public record LbIpamPlan(Map<String, ServiceResult> services, Map<String, List<LbCondition>> pools) {

	public LbIpamPlan {
		services = Map.copyOf(services);
		pools = Map.copyOf(pools);
	}

	/**
	 * The outcome for one Service.
	 *
	 * @param ips the addresses for {@code status.loadBalancer.ingress}, in order
	 * @param condition the {@value LbCondition#SERVICE_REQUEST_SATISFIED} condition
	 */
	public record ServiceResult(List<String> ips, LbCondition condition) {

		public ServiceResult {
			ips = List.copyOf(ips);
		}

	}

}
