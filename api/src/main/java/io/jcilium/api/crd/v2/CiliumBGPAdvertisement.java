package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * Which routes to advertise (pod CIDRs, pod IP pools, service addresses) and with which
 * attributes; peer configs pick advertisements by label per family.
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2)
@ShortNames("cbgpadvert")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumBGPAdvertisement extends CustomResource<CiliumBGPAdvertisement.Spec, Void> {

	private static final long serialVersionUID = 1L;

	/** The advertisements. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Spec {

		@Required
		public List<Advertisement> advertisements;

	}

	/** One kind of route and the attributes it gets. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Advertisement {

		/** {@code PodCIDR}, {@code CiliumPodIPPool} or {@code Service}. */
		@Required
		public String advertisementType;

		/** Which service addresses, for {@code Service}. */
		public ServiceOptions service;

		/** The objects of that type to advertise; none selects none. */
		public LabelSelector selector;

		public Attributes attributes;

	}

	/** The service addresses to advertise. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class ServiceOptions {

		/** {@code LoadBalancerIP}, {@code ClusterIP}, {@code ExternalIP}. */
		public List<String> addresses;

		/**
		 * The prefix length IPv4 addresses are aggregated to (RFC 4632), as upstream
		 * 0-31.
		 */
		@Min(0)
		@Max(31)
		public Integer aggregationLengthIPv4;

		/** The prefix length IPv6 addresses are aggregated to, as upstream 0-127. */
		@Min(0)
		@Max(127)
		public Integer aggregationLengthIPv6;

	}

	/** Path attributes of the advertised routes. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Attributes {

		public Communities communities;

		public Long localPreference;

	}

	/**
	 * RFC 1997 standard (as {@code 65000:100} or a number), well-known and RFC 8092
	 * large.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Communities {

		public List<String> standard;

		public List<String> wellKnown;

		public List<String> large;

	}

}
