package io.jcilium.agent.datapath.maps;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.common.policy.engine.MapEntry;

/**
 * An endpoint's policy map (LPM trie): keys encoded by {@link PolicyKeys}, read back with
 * their packet/byte counters.
 */
public final class PolicyMap implements PolicyKeyStore {

	private final BpfMap map;

	private final Runnable onChange;

	/**
	 * A policy map for reading (or writing without telling a loaded program; tracked
	 * connections then keep their earlier verdict until the program's revision moves).
	 * @param map the BPF map
	 */
	public PolicyMap(BpfMap map) {
		this(map, () -> {
		});
	}

	/**
	 * A policy map whose changes are announced to the endpoint's program.
	 * @param map the BPF map
	 * @param onChange called after every change (bumps the program's policy revision)
	 */
	public PolicyMap(BpfMap map, Runnable onChange) {
		requireLayout(map, DatapathStructs.PolicyKey.LAYOUT, DatapathStructs.PolicyEntry.LAYOUT);
		this.map = map;
		this.onChange = onChange;
	}

	/**
	 * Adds or replaces the keys of policy entries as they are (no deny-covers-allow
	 * resolution: {@link PolicyMapSync} does that); counters of existing keys restart at
	 * zero.
	 * @param entries the entries
	 */
	public void put(Collection<MapEntry> entries) {
		for (MapEntry entry : entries) {
			upsert(PolicyKeys.key(entry), entry.deny());
		}
		this.onChange.run();
	}

	/**
	 * Removes the keys of policy entries.
	 * @param entries the entries
	 * @return whether any key existed
	 */
	public boolean remove(Collection<MapEntry> entries) {
		boolean removed = false;
		for (MapEntry entry : entries) {
			removed |= this.map.delete(PolicyKeys.key(entry).encode());
		}
		this.onChange.run();
		return removed;
	}

	@Override
	public Map<DatapathStructs.PolicyKey, Boolean> read() {
		Map<DatapathStructs.PolicyKey, Boolean> keys = new HashMap<>();
		entries().forEach((key, entry) -> keys.put(key, entry.deny()));
		return keys;
	}

	@Override
	public void upsert(DatapathStructs.PolicyKey key, boolean deny) {
		this.map.update(key.encode(), new DatapathStructs.PolicyEntry(deny, 0, key.prefixLength(), 0, 0).encode(),
				BpfMap.ANY);
	}

	@Override
	public void delete(DatapathStructs.PolicyKey key) {
		this.map.delete(key.encode());
	}

	@Override
	public int maxEntries() {
		return this.map.maxEntries();
	}

	@Override
	public void committed() {
		this.onChange.run();
	}

	/**
	 * The entry stored for exactly this key, with counters.
	 * @param key the key
	 * @return the value or null
	 */
	public DatapathStructs.PolicyEntry get(DatapathStructs.PolicyKey key) {
		byte[] value = this.map.lookup(key.encode());
		return (value != null) ? DatapathStructs.PolicyEntry.decode(value) : null;
	}

	/**
	 * Every key and value.
	 * @return entries in map order
	 */
	public Map<DatapathStructs.PolicyKey, DatapathStructs.PolicyEntry> entries() {
		Map<DatapathStructs.PolicyKey, DatapathStructs.PolicyEntry> entries = new LinkedHashMap<>();
		for (byte[] key : this.map.keys()) {
			byte[] value = this.map.lookup(key);
			if (value != null) {
				entries.put(DatapathStructs.PolicyKey.decode(key), DatapathStructs.PolicyEntry.decode(value));
			}
		}
		return entries;
	}

	/**
	 * Removes every entry (the endpoint then denies everything).
	 */
	public void clear() {
		for (byte[] key : this.map.keys()) {
			this.map.delete(key);
		}
		this.onChange.run();
	}

	public BpfMap bpfMap() {
		return this.map;
	}

	static void requireLayout(BpfMap map, DatapathStructs.Layout key, DatapathStructs.Layout value) {
		if (map.keySize() != key.sizeBytes() || map.valueSize() != value.sizeBytes()) {
			throw new IllegalArgumentException("map " + map.name() + " has key/value " + map.keySize() + "/"
					+ map.valueSize() + " bytes but struct " + key.struct() + "/" + value.struct() + " are "
					+ key.sizeBytes() + "/" + value.sizeBytes() + ": the object and the agent are out of step");
		}
	}

}
