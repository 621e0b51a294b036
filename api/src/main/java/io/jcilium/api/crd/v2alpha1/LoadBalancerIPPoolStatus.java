package io.jcilium.api.crd.v2alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * Conditions of an LB-IPAM pool (conflicts, capacity).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoadBalancerIPPoolStatus {

	public List<Condition> conditions;

}
