package io.jcilium.api.crd.v2alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * Which nodes answer ARP/NDP for which services' addresses, on which interfaces.
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2ALPHA1)
@ShortNames("l2announcement")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumL2AnnouncementPolicy
		extends CustomResource<CiliumL2AnnouncementPolicy.Spec, LoadBalancerIPPoolStatus> {

	private static final long serialVersionUID = 1L;

	/** Selectors and what to announce. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Spec {

		public LabelSelector nodeSelector;

		public LabelSelector serviceSelector;

		public Boolean loadBalancerIPs;

		public Boolean externalIPs;

		/** Interface name regular expressions; none means every interface. */
		public List<String> interfaces;

	}

}
