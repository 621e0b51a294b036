package io.jcilium.api.crd.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;
import io.jcilium.api.crd.v2alpha1.LoadBalancerIPPoolSpec;
import io.jcilium.api.crd.v2alpha1.LoadBalancerIPPoolStatus;

/**
 * LB-IPAM pool, {@code cilium.io/v2}: the stored version since upstream promoted it;
 * {@code v2alpha1} is still served.
 */
@Group(CiliumGroup.GROUP)
@Version(value = CiliumGroup.V2, storage = true)
@ShortNames({ "ippools", "ippool", "lbippool", "lbippools" })
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumLoadBalancerIPPool extends CustomResource<LoadBalancerIPPoolSpec, LoadBalancerIPPoolStatus> {

	private static final long serialVersionUID = 1L;

}
