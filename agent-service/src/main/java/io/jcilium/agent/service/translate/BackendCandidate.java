package io.jcilium.agent.service.translate;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

import io.jcilium.agent.service.lb.L4Address;

/**
 * One endpoint of a service port as an EndpointSlice states it.
 *
 * @param address where to connect (the port resolved for this endpoint's slice)
 * @param nodeName the node hosting it, or null
 * @param ready {@code conditions.ready} (unset counts as ready)
 * @param serving {@code conditions.serving} (unset: as ready)
 * @param terminating {@code conditions.terminating} (unset: false)
 */
record BackendCandidate(L4Address address, String nodeName, boolean ready, boolean serving, boolean terminating) {

	/**
	 * The backends new connections go to, as upstream and kube-proxy choose them: the
	 * ready endpoints among those {@code eligible}; only if there is none, the ones still
	 * serving while terminating (so a rollout's last pods keep answering); else none.
	 * @param candidates every endpoint of the port
	 * @param eligible e.g. "on this node" for a Local traffic policy
	 * @return distinct backends in a stable order
	 */
	static List<L4Address> select(Collection<BackendCandidate> candidates, Predicate<BackendCandidate> eligible) {
		List<BackendCandidate> pool = candidates.stream().filter(eligible).toList();
		List<L4Address> ready = pool.stream().filter(BackendCandidate::ready).map(BackendCandidate::address).toList();
		if (!ready.isEmpty()) {
			return distinct(ready);
		}
		return distinct(pool.stream()
			.filter((candidate) -> candidate.serving() && candidate.terminating())
			.map(BackendCandidate::address)
			.toList());
	}

	private static List<L4Address> distinct(List<L4Address> addresses) {
		return addresses.stream().distinct().sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
	}

}
