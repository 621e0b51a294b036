package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Peers traffic may go to. Also used for {@code egressDeny}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressRule {

	public List<LabelSelector> toEndpoints;

	public List<LabelSelector> toRequires;

	public List<String> toCIDR;

	public List<CidrRule> toCIDRSet;

	public List<String> toEntities;

	public List<ServiceSelector> toServices;

	public List<FqdnSelector> toFQDNs;

	public List<LabelSelector> toNodes;

	public List<PeerGroups> toGroups;

	public List<PortRule> toPorts;

	public List<IcmpRule> icmps;

	public Authentication authentication;

	/** A Kubernetes service as an egress peer, by name or by selector. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class ServiceSelector {

		public K8sServiceNamespace k8sService;

		public K8sServiceSelectorNamespace k8sServiceSelector;

	}

	/** A service by name. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class K8sServiceNamespace {

		public String serviceName;

		public String namespace;

	}

	/** Services by label selector. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class K8sServiceSelectorNamespace {

		public LabelSelector selector;

		public String namespace;

	}

	/** A DNS name or pattern whose resolved addresses are allowed. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class FqdnSelector {

		public String matchName;

		public String matchPattern;

	}

}
