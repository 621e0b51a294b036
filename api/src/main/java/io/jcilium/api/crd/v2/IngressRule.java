package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Peers traffic may come from; the fields of one rule are ANDed within a peer kind and
 * ORed across them, as upstream documents. Also used for {@code ingressDeny}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IngressRule {

	public List<LabelSelector> fromEndpoints;

	public List<LabelSelector> fromRequires;

	public List<String> fromCIDR;

	public List<CidrRule> fromCIDRSet;

	public List<String> fromEntities;

	public List<LabelSelector> fromNodes;

	public List<PeerGroups> fromGroups;

	public List<PortRule> toPorts;

	public List<IcmpRule> icmps;

	public Authentication authentication;

}
