package io.jcilium.api.crd.v2;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * A security identity; the object's name is the numeric identity. Upstream keeps the
 * labels at the top level, not in a spec.
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2)
@ShortNames("ciliumid")
@AdditionalPrinterColumn(name = "Namespace", jsonPath = ".metadata.labels.io\\.kubernetes\\.pod\\.namespace",
		type = AdditionalPrinterColumn.Type.STRING, getDescription = "The namespace of the entity")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
		type = AdditionalPrinterColumn.Type.DATE, getDescription = "The age of the identity")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumIdentity extends CustomResource<Void, Void> {

	private static final long serialVersionUID = 1L;

	/** The security-relevant labels this identity stands for. */
	@JsonProperty("security-labels")
	public Map<String, String> securityLabels;

}
