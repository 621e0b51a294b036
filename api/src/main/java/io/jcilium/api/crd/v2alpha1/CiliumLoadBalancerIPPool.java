package io.jcilium.api.crd.v2alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * LB-IPAM pool, {@code cilium.io/v2alpha1}: served for existing manifests, not stored.
 */
@Group(CiliumGroup.GROUP)
@Version(value = CiliumGroup.V2ALPHA1, storage = false)
@ShortNames({ "ippools", "ippool", "lbippool", "lbippools" })
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumLoadBalancerIPPool extends CustomResource<LegacyLoadBalancerIPPoolSpec, LoadBalancerIPPoolStatus> {

	private static final long serialVersionUID = 1L;

}
