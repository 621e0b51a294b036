package io.jcilium.agent.datapath.maps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;

/**
 * A policy map in memory that records its operations in order and, when told, fails on
 * the Nth write as a full or broken BPF map would.
 */
final class InMemoryPolicyKeyStore implements PolicyKeyStore {

	final Map<PolicyKey, Boolean> keys = new HashMap<>();

	/** "+key" for an upsert, "-key" for a delete, in order. */
	final List<String> operations = new ArrayList<>();

	int commits;

	private final int maxEntries;

	private int writesUntilFailure = -1;

	InMemoryPolicyKeyStore(int maxEntries) {
		this.maxEntries = maxEntries;
	}

	/**
	 * Makes the write after the next {@code n} writes fail (once).
	 * @param n writes that still succeed
	 */
	void failAfter(int n) {
		this.writesUntilFailure = n;
	}

	@Override
	public Map<PolicyKey, Boolean> read() {
		return new HashMap<>(this.keys);
	}

	@Override
	public void upsert(PolicyKey key, boolean deny) {
		write();
		if (!this.keys.containsKey(key) && this.keys.size() >= this.maxEntries) {
			throw new IllegalStateException("map full (E2BIG)");
		}
		this.keys.put(key, deny);
		this.operations.add("+" + key);
	}

	@Override
	public void delete(PolicyKey key) {
		write();
		this.keys.remove(key);
		this.operations.add("-" + key);
	}

	@Override
	public int maxEntries() {
		return this.maxEntries;
	}

	@Override
	public void committed() {
		this.commits++;
	}

	private void write() {
		if (this.writesUntilFailure == 0) {
			this.writesUntilFailure = -1;
			throw new IllegalStateException("bpf_map_update_elem failed: Cannot allocate memory (errno 12)");
		}
		if (this.writesUntilFailure > 0) {
			this.writesUntilFailure--;
		}
	}

}
