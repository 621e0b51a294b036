package io.jcilium.agent.hubble.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Policy;
import io.jcilium.common.policy.model.PolicySource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Per-rule hit counters (issue 14 point 6, beyond upstream): how many new connections
 * each policy allowed or denied, per direction, counted from the policy verdict flows
 * Hubble correlated with their rules ({@code *_allowed_by}, {@code *_denied_by}).
 * Exported as
 * {@code hubble_policy_rule_verdicts_total{kind,namespace,name,direction,action}} once a
 * policy has a hit, and listed with every policy in force by {@link #snapshot}, so a
 * policy no connection ever used shows with zeros. Policies are counted per object (kind,
 * namespace, name), as the flows name them; the agent's own reserved rules
 * ({@code allow-localhost}) are not policies a user wrote and are left out. At most
 * {@code maxPolicies} policies are counted; hits of more are counted in
 * {@code hubble_policy_rule_over_limit_total}.
 */
public final class RuleHits {

	static final String METRIC = "hubble.policy.rule.verdicts";

	private static final String[] DIRECTIONS = { "ingress", "ingress", "egress", "egress" };

	private static final String[] ACTIONS = { "forwarded", "dropped", "forwarded", "dropped" };

	private final MeterRegistry registry;

	private final int maxPolicies;

	private final Map<PolicyName, LongAdder[]> counts = new ConcurrentHashMap<>();

	private final Counter overLimit;

	/**
	 * @param registry where the counters go, {@code null} for none
	 * @param maxPolicies how many policies to count at most
	 */
	public RuleHits(MeterRegistry registry, int maxPolicies) {
		this.registry = registry;
		this.maxPolicies = maxPolicies;
		this.overLimit = (registry != null) ? Counter.builder("hubble.policy.rule.over.limit")
			.description("Policy verdicts not counted per policy because the cap on counted policies was reached")
			.register(registry) : null;
	}

	/**
	 * Counts the policies a flow names; called on the event reader's thread.
	 * @param flow an enriched flow
	 */
	public void flow(Flow flow) {
		count(flow.getIngressAllowedByList(), 0);
		count(flow.getIngressDeniedByList(), 1);
		count(flow.getEgressAllowedByList(), 2);
		count(flow.getEgressDeniedByList(), 3);
	}

	/**
	 * Every policy in force and every policy counted, with its hits.
	 * @param inForce the sources of the rules in force
	 * @return one row per policy, sorted by kind, namespace and name
	 */
	public List<RuleHit> snapshot(List<PolicySource> inForce) {
		return snapshot(inForce, null);
	}

	/**
	 * Every policy in force and every policy counted or charged, with its hits and bytes.
	 * @param inForce the sources of the rules in force
	 * @param bytes the policies' bytes, {@code null} for none
	 * @return one row per policy, sorted by kind, namespace and name
	 */
	public List<RuleHit> snapshot(List<PolicySource> inForce, RuleBytes bytes) {
		Map<PolicyName, Boolean> names = new TreeMap<>(PolicyName.ORDER);
		this.counts.keySet().forEach((name) -> names.put(name, false));
		if (bytes != null) {
			bytes.charged().forEach((name) -> names.put(name, false));
		}
		inForce.stream()
			.filter((source) -> !PolicySource.RESERVED.equals(source.kind()))
			.forEach((source) -> names.put(PolicyName.of(source), true));
		List<RuleHit> rows = new ArrayList<>(names.size());
		names.forEach((name, live) -> {
			LongAdder[] hits = this.counts.get(name);
			long[] sent = (bytes != null) ? bytes.bytes(name) : new long[RuleBytes.SLOTS];
			rows.add(new RuleHit(name.kind(), name.namespace(), name.name(), live, sum(hits, 0), sum(hits, 1),
					sum(hits, 2), sum(hits, 3), sent[0], sent[1], sent[2], sent[3]));
		});
		return rows;
	}

	private void count(List<Policy> policies, int slot) {
		for (int i = 0; i < policies.size(); i++) {
			Policy policy = policies.get(i);
			if (policy.getKind().isEmpty()) {
				continue;
			}
			LongAdder[] hits = counters(new PolicyName(policy.getKind(), policy.getNamespace(), policy.getName()));
			if (hits != null) {
				hits[slot].increment();
			}
			else if (this.overLimit != null) {
				this.overLimit.increment();
			}
		}
	}

	private LongAdder[] counters(PolicyName name) {
		LongAdder[] hits = this.counts.get(name);
		if (hits != null || this.counts.size() >= this.maxPolicies) {
			return hits;
		}
		LongAdder[] fresh = { new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder() };
		hits = this.counts.putIfAbsent(name, fresh);
		if (hits != null) {
			return hits;
		}
		if (this.registry != null) {
			for (int slot = 0; slot < fresh.length; slot++) {
				FunctionCounter.builder(METRIC, fresh[slot], LongAdder::doubleValue)
					.description("New connections a policy allowed or denied, from policy verdicts")
					.tag("kind", name.kind())
					.tag("namespace", name.namespace())
					.tag("name", name.name())
					.tag("direction", DIRECTIONS[slot])
					.tag("action", ACTIONS[slot])
					.register(this.registry);
			}
		}
		return fresh;
	}

	private static long sum(LongAdder[] hits, int slot) {
		return (hits != null) ? hits[slot].sum() : 0;
	}

}
