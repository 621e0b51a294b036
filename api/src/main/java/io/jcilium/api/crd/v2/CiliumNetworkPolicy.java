package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
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
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
		type = AdditionalPrinterColumn.Type.DATE, getDescription = "Time since the object was created")
@AdditionalPrinterColumn(name = "Valid", jsonPath = ".status.conditions[?(@.type=='Valid')].status",
		type = AdditionalPrinterColumn.Type.STRING, getDescription = "Whether the policy is valid")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumNetworkPolicy extends CustomResource<Rule, PolicyStatus> implements Namespaced {

	private static final long serialVersionUID = 1L;

	/** Further rules, evaluated like {@code spec}. */
	public List<Rule> specs;

}
