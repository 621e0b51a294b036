package io.jcilium.agent.datapath.fuzz;

import java.util.List;

import io.jcilium.common.policy.trace.PortProtocol;

/**
 * One generated case: pods (in the offline trace's pods-file format), policy documents
 * (YAML as a user writes them) and the connections to try.
 *
 * @param seed the seed it was generated from
 * @param podsYaml namespaces and pods, as {@code policy trace --offline --pods} reads
 * them
 * @param policies policy documents, one YAML text each
 * @param probes the connections to try
 * @param change the policy change after the first round of probes
 */
record FuzzScenario(long seed, String podsYaml, List<String> policies, List<Probe> probes, Change change) {

	/**
	 * A policy change applied to running endpoints, after which every probe is tried
	 * again: one policy removed, or one added.
	 *
	 * @param removed index of the policy removed, or -1
	 * @param added a policy document added, or null
	 */
	record Change(int removed, String added) {

		@Override
		public String toString() {
			return (this.added != null) ? "policy added (added.yaml)"
					: "policy " + String.format("%02d", this.removed) + ".yaml removed";
		}

	}

	/**
	 * A connection to try.
	 *
	 * @param from source pod ({@code namespace/name})
	 * @param to destination pod ({@code namespace/name})
	 * @param port destination port (or ICMP type) and protocol
	 */
	record Probe(String from, String to, PortProtocol port) {

		@Override
		public String toString() {
			return this.from + " -> " + this.to + " " + this.port;
		}

	}

}
