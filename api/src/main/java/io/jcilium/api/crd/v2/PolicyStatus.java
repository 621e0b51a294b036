package io.jcilium.api.crd.v2;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * Status of a (clusterwide) network policy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyStatus {

	/** Per-derivative status, keyed by derivative policy name. */
	@PreserveUnknownFields
	public Map<String, Object> derivativePolicies;

	public List<Condition> conditions;

}
