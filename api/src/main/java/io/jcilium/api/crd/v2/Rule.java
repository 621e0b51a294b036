package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * One policy rule: whom it selects and what traffic it allows or denies.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rule {

	/** Endpoints the rule applies to; exclusive with {@code nodeSelector}. */
	public LabelSelector endpointSelector;

	/** Nodes the rule applies to (host policy, clusterwide only). */
	public LabelSelector nodeSelector;

	public List<IngressRule> ingress;

	public List<IngressRule> ingressDeny;

	public List<EgressRule> egress;

	public List<EgressRule> egressDeny;

	public List<PolicyLabel> labels;

	public DefaultDenyConfig enableDefaultDeny;

	public String description;

	/** Whether the rule turns on default deny per direction. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class DefaultDenyConfig {

		public Boolean ingress;

		public Boolean egress;

	}

	/** A label attached to a rule. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class PolicyLabel {

		public String key;

		public String value;

		public String source;

	}

}
