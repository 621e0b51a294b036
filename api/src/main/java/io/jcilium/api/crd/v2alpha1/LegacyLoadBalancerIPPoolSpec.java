package io.jcilium.api.crd.v2alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The v2alpha1 pool spec: v2's fields plus the deprecated {@code cidrs}, which older
 * manifests still use.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LegacyLoadBalancerIPPoolSpec extends LoadBalancerIPPoolSpec {

	/** Deprecated alias of {@code blocks}. */
	public List<Block> cidrs;

}
