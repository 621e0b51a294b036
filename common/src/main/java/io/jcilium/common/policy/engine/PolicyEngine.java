package io.jcilium.common.policy.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.PortRule;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

/**
 * Rules plus the identity table in, per-endpoint policy map state out, and after each
 * change only what changed.
 * <p>
 * Policy is computed per local endpoint identity (endpoints sharing an identity share
 * policy). Each (endpoint, peer rule, peer selector) is recorded as a use of the
 * selector, with the port keys already resolved; when an identity appears or disappears,
 * only the uses of the selectors that select it produce entry changes. Each entry keeps
 * the rules it is derived from, as often as they derive it: several rules may yield the
 * same entry, a rule removed removes only its share, and the entry goes with the last
 * rule deriving it. Not thread-safe: the caller serialises updates.
 * <p>
 * This class takes the changes and decides which endpoints they touch; the inputs live in
 * {@link PolicyInputs}, the computed entries and selector uses in
 * {@link EndpointPolicies}.
 */
public final class PolicyEngine {

	private final EnforcementMode mode;

	private final boolean allowLocalhost;

	private final SelectorCache cache = new SelectorCache();

	private final PolicyInputs inputs = new PolicyInputs();

	private final EndpointPolicies computed;

	/**
	 * An engine with upstream's defaults: mode {@code default}, host may always reach
	 * local endpoints ({@code allow-localhost}).
	 */
	public PolicyEngine() {
		this(EnforcementMode.DEFAULT, true);
	}

	/**
	 * An engine.
	 * @param mode the enforcement mode
	 * @param allowLocalhost whether the local host may always reach local endpoints, as
	 * upstream's {@code allow-localhost=always} (the default under Kubernetes, for health
	 * probes)
	 */
	public PolicyEngine(EnforcementMode mode, boolean allowLocalhost) {
		this.mode = mode;
		this.allowLocalhost = allowLocalhost;
		this.computed = new EndpointPolicies(mode, allowLocalhost, this.cache, this.inputs);
	}

	public EnforcementMode mode() {
		return this.mode;
	}

	public boolean allowLocalhost() {
		return this.allowLocalhost;
	}

	/**
	 * Add or replace an identity.
	 * @param identity the identity
	 * @return the changes to local endpoints
	 */
	public PolicyDelta upsertIdentity(Identity identity) {
		PolicyDelta.Builder delta = new PolicyDelta.Builder();
		Identity previous = this.cache.identity(identity.id());
		if (previous != null && previous.equals(identity)) {
			return delta.build(this.computed::flags);
		}
		if (previous != null) {
			this.computed.peerRemoved(identity.id(), this.cache.removeIdentity(identity.id()), delta);
		}
		this.computed.peerAdded(identity.id(), this.cache.addIdentity(identity), delta);
		if (this.inputs.isEndpoint(identity.id())) {
			this.computed.recompute(identity.id(), delta);
		}
		return delta.build(this.computed::flags);
	}

	/**
	 * Remove an identity.
	 * @param id the identity number
	 * @return the changes to local endpoints
	 */
	public PolicyDelta removeIdentity(long id) {
		PolicyDelta.Builder delta = new PolicyDelta.Builder();
		this.computed.peerRemoved(id, this.cache.removeIdentity(id), delta);
		return delta.build(this.computed::flags);
	}

	/**
	 * Add or update a local endpoint identity (its identity must be known).
	 * @param identity the endpoint's identity number
	 * @param namedPorts the endpoint's named container ports
	 * @return the changes
	 */
	public PolicyDelta upsertEndpoint(long identity, List<NamedPort> namedPorts) {
		if (this.cache.identity(identity) == null) {
			throw new IllegalArgumentException("endpoint identity " + identity + " is not in the identity table");
		}
		List<NamedPort> previous = this.inputs.putEndpoint(identity, namedPorts);
		PolicyDelta.Builder delta = new PolicyDelta.Builder();
		this.computed.recompute(identity, delta);
		boolean portsChanged = (previous == null) ? !namedPorts.isEmpty() : !previous.equals(namedPorts);
		if (portsChanged) {
			recomputeEgressNamedPortUsers(identity, delta);
		}
		return delta.build(this.computed::flags);
	}

	/**
	 * Remove a local endpoint identity and its policy.
	 * @param identity the endpoint's identity number
	 * @return the changes (its entries removed)
	 */
	public PolicyDelta removeEndpoint(long identity) {
		PolicyDelta.Builder delta = new PolicyDelta.Builder();
		List<NamedPort> previous = this.inputs.removeEndpoint(identity);
		if (previous != null) {
			this.computed.remove(identity, delta);
			if (!previous.isEmpty()) {
				recomputeEgressNamedPortUsers(identity, delta);
			}
		}
		return delta.build(this.computed::flags);
	}

	/**
	 * Add or replace a policy object; only endpoints its old or new rules select are
	 * recomputed.
	 * @param policy the parsed policy
	 * @return the changes
	 */
	public PolicyDelta upsertPolicy(PolicyObject policy) {
		List<PolicyRule> old = this.inputs.putPolicy(policy.key(), policy.rules());
		return recomputeSelected(old, policy.rules());
	}

	/**
	 * Remove a policy object.
	 * @param key the object's key ({@link PolicyObject#key()})
	 * @return the changes
	 */
	public PolicyDelta removePolicy(String key) {
		List<PolicyRule> old = this.inputs.removePolicy(key);
		return recomputeSelected(old, List.of());
	}

	/**
	 * Recompute every endpoint from scratch (the reference the incremental paths must
	 * equal).
	 * @return the policy of every local endpoint identity
	 */
	public Map<Long, EndpointPolicy> computeAll() {
		this.computed.clear();
		PolicyDelta.Builder ignored = new PolicyDelta.Builder();
		for (long id : this.inputs.endpointIdView()) {
			this.computed.recompute(id, ignored);
		}
		this.computed.retainUsedSelectors();
		return policies();
	}

	/**
	 * The current policy of every local endpoint identity.
	 * @return policies by identity
	 */
	public Map<Long, EndpointPolicy> policies() {
		return this.computed.policies();
	}

	/**
	 * The current policy of one endpoint identity.
	 * @param identity the endpoint's identity
	 * @return its policy, or {@code null} if it is not a local endpoint
	 */
	public EndpointPolicy policy(long identity) {
		return this.computed.policy(identity);
	}

	/**
	 * Every rule in force.
	 * @return the rules, in policy insertion order
	 */
	public List<PolicyRule> rules() {
		return this.inputs.rules();
	}

	public SelectorCache selectorCache() {
		return this.cache;
	}

	/**
	 * Named ports of a local endpoint identity.
	 * @param identity the identity
	 * @return its named ports, empty if unknown
	 */
	public List<NamedPort> namedPorts(long identity) {
		return this.inputs.namedPorts(identity);
	}

	/**
	 * Named ports of every local endpoint, which egress rules resolve names against.
	 * @return all named ports
	 */
	public List<NamedPort> allNamedPorts() {
		return this.inputs.allNamedPorts();
	}

	private PolicyDelta recomputeSelected(List<PolicyRule> oldRules, List<PolicyRule> newRules) {
		PolicyDelta.Builder delta = new PolicyDelta.Builder();
		List<PolicyRule> touched = new ArrayList<>(newRules);
		if (oldRules != null) {
			touched.addAll(oldRules);
		}
		for (long id : this.inputs.endpointIds()) {
			Identity identity = this.cache.identity(id);
			if (touched.stream().anyMatch((rule) -> rule.subject().matches(identity.labels()))) {
				this.computed.recompute(id, delta);
			}
		}
		this.computed.retainUsedSelectors();
		return delta.build(this.computed::flags);
	}

	// Egress rules resolve port names against every endpoint's named ports, so a change
	// of those ports changes the entries of every endpoint subject to such a rule.
	private void recomputeEgressNamedPortUsers(long changed, PolicyDelta.Builder delta) {
		List<PolicyRule> users = rules().stream()
			.filter((rule) -> rule.rules()
				.stream()
				.anyMatch((r) -> r.direction() == Direction.EGRESS && r.ports().stream().anyMatch(PortRule::isNamed)))
			.toList();
		if (users.isEmpty()) {
			return;
		}
		for (long id : this.inputs.endpointIds()) {
			Identity identity = this.cache.identity(id);
			if (id != changed && users.stream().anyMatch((rule) -> rule.subject().matches(identity.labels()))) {
				this.computed.recompute(id, delta);
			}
		}
	}

}
