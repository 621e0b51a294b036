package io.jcilium.agent.datapath.maps;

import java.util.Map;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;

/**
 * Where an endpoint's policy keys are stored: the pinned BPF map in the agent, an
 * in-memory map in tests.
 */
public interface PolicyKeyStore {

	/**
	 * The keys stored now.
	 * @return key to "deny"
	 */
	Map<PolicyKey, Boolean> read();

	/**
	 * Adds or replaces one key.
	 * @param key the key
	 * @param deny whether it denies
	 */
	void upsert(PolicyKey key, boolean deny);

	/**
	 * Removes one key.
	 * @param key the key
	 */
	void delete(PolicyKey key);

	/**
	 * How many keys fit.
	 * @return the map's max entries
	 */
	int maxEntries();

	/** Tells the endpoint's program once that a batch of changes is complete. */
	void committed();

}
