package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * A CIDR peer with optional exceptions, or a reference to a CiliumCIDRGroup.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CidrRule {

	public String cidr;

	public String cidrGroupRef;

	public LabelSelector cidrGroupSelector;

	public List<String> except;

}
