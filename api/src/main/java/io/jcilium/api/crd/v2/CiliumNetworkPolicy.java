package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * A namespaced Cilium network policy: one rule in {@code spec} and/or several in
 * {@code specs}.
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2)
@ShortNames({ "cnp", "ciliumnp" })
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumNetworkPolicy extends CustomResource<Rule, PolicyStatus> implements Namespaced {

	private static final long serialVersionUID = 1L;

	/** Further rules, evaluated like {@code spec}. */
	public List<Rule> specs;

}
