package io.jcilium.agent.identity.cardinality;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.agent.identity.cardinality.IdentityCardinality.Finding;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/identitycardinality}: the labels that make identities multiply, as
 * of the last check, with the label pattern that would leave each out of identities.
 */
@Endpoint(id = "identitycardinality")
public final class IdentityCardinalityEndpoint {

	private final CardinalityWatch watch;

	IdentityCardinalityEndpoint(CardinalityWatch watch) {
		this.watch = watch;
	}

	@ReadOperation
	public Map<String, Object> findings() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("threshold", this.watch.threshold());
		json.put("findings", this.watch.findings().stream().map(IdentityCardinalityEndpoint::json).toList());
		return json;
	}

	private static Map<String, Object> json(Finding finding) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("namespace", finding.namespace());
		json.put("label", finding.label());
		json.put("values", finding.values());
		json.put("identities", finding.identities());
		json.put("examples", List.copyOf(finding.examples()));
		json.put("exclusion", finding.exclusion());
		return json;
	}

}
