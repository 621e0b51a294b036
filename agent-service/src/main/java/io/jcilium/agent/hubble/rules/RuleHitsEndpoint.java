package io.jcilium.agent.hubble.rules;

import java.util.List;
import java.util.function.Supplier;

import io.jcilium.common.policy.model.PolicySource;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code GET /actuator/policyhits}: every policy in force (and every one counted since
 * the agent started) with the connections it allowed and denied on this node and the
 * bytes its entries admitted and dropped; the console's {@code hubble policy hits} reads
 * it.
 */
@WebEndpoint(id = "policyhits")
public class RuleHitsEndpoint {

	private final RuleHits hits;

	private final RuleBytes bytes;

	private final Supplier<List<PolicySource>> inForce;

	/**
	 * @param hits the connection counters
	 * @param bytes the byte counters, read afresh for each request
	 * @param inForce the sources of the rules in force
	 */
	public RuleHitsEndpoint(RuleHits hits, RuleBytes bytes, Supplier<List<PolicySource>> inForce) {
		this.hits = hits;
		this.bytes = bytes;
		this.inForce = inForce;
	}

	@ReadOperation
	public List<RuleHit> hits() {
		this.bytes.charge();
		return this.hits.snapshot(this.inForce.get(), this.bytes);
	}

}
