package io.jcilium.common.policy.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.jcilium.common.policy.model.PolicyRule;

/**
 * What the engine computes from, besides identities: the policy objects' rules by key and
 * the local endpoints' named ports, with the flattened views recomputation reads on every
 * endpoint (rebuilt lazily after a change, as they are hot).
 */
final class PolicyInputs {

	private final Map<String, List<PolicyRule>> policies = new LinkedHashMap<>();

	private final Map<Long, List<NamedPort>> endpoints = new TreeMap<>();

	private List<PolicyRule> allRules;

	private List<NamedPort> allNamedPorts;

	/**
	 * Sets a policy object's rules.
	 * @return the rules it had, or {@code null} if it is new
	 */
	List<PolicyRule> putPolicy(String key, List<PolicyRule> rules) {
		this.allRules = null;
		return this.policies.put(key, rules);
	}

	/**
	 * Drops a policy object.
	 * @return the rules it had, or {@code null} if there was none
	 */
	List<PolicyRule> removePolicy(String key) {
		this.allRules = null;
		return this.policies.remove(key);
	}

	/**
	 * Sets a local endpoint's named ports.
	 * @return the ones it had, or {@code null} if it is new
	 */
	List<NamedPort> putEndpoint(long identity, List<NamedPort> namedPorts) {
		this.allNamedPorts = null;
		return this.endpoints.put(identity, List.copyOf(namedPorts));
	}

	/**
	 * Drops a local endpoint.
	 * @return the named ports it had, or {@code null} if it was not local
	 */
	List<NamedPort> removeEndpoint(long identity) {
		List<NamedPort> previous = this.endpoints.remove(identity);
		if (previous != null) {
			this.allNamedPorts = null;
		}
		return previous;
	}

	boolean isEndpoint(long identity) {
		return this.endpoints.containsKey(identity);
	}

	/**
	 * The local endpoint identities, in order; a copy, safe to iterate while changing.
	 */
	List<Long> endpointIds() {
		return new ArrayList<>(this.endpoints.keySet());
	}

	Set<Long> endpointIdView() {
		return this.endpoints.keySet();
	}

	List<PolicyRule> rules() {
		if (this.allRules == null) {
			List<PolicyRule> all = new ArrayList<>();
			this.policies.values().forEach(all::addAll);
			this.allRules = List.copyOf(all);
		}
		return this.allRules;
	}

	List<NamedPort> namedPorts(long identity) {
		return this.endpoints.getOrDefault(identity, List.of());
	}

	List<NamedPort> allNamedPorts() {
		if (this.allNamedPorts == null) {
			List<NamedPort> all = new ArrayList<>();
			this.endpoints.values().forEach(all::addAll);
			this.allNamedPorts = List.copyOf(all);
		}
		return this.allNamedPorts;
	}

}
