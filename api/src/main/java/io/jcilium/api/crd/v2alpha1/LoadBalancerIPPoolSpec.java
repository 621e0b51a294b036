package io.jcilium.api.crd.v2alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Addresses of an LB-IPAM pool and the services that may use them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoadBalancerIPPoolSpec {

	/** CIDRs or start/stop ranges. */
	public List<Block> blocks;

	/** Services eligible for this pool; none means every LoadBalancer service. */
	public LabelSelector serviceSelector;

	/**
	 * {@code Yes} (default) or {@code No}: whether the first and last IP of a CIDR are
	 * used.
	 */
	public AllowFirstLastIps allowFirstLastIPs;

	/** No new addresses are assigned from a disabled pool; existing ones stay. */
	public Boolean disabled;

	/** A CIDR, or a range from start to stop (stop defaults to start). */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Block {

		public String cidr;

		public String start;

		public String stop;

	}

	/** Upstream's enum values, exactly as written in manifests. */
	public enum AllowFirstLastIps {

		Yes, No

	}

}
