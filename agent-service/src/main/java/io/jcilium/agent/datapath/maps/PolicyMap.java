package io.jcilium.agent.datapath.maps;

import java.util.LinkedHashMap;
import java.util.Map;

import io.jcilium.agent.datapath.libbpf.BpfMap;

/**
 * An endpoint's policy map (LPM trie): writes {@link PolicyMapEntry} decisions as keys,
 * reads entries back with their packet/byte counters.
 */
public final class PolicyMap {

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
	 * Adds or replaces the keys of an entry; counters of existing keys restart at zero.
	 * @param entry the decision
	 */
	public void put(PolicyMapEntry entry) {
		for (DatapathStructs.PolicyKey key : entry.keys()) {
			byte[] value = new DatapathStructs.PolicyEntry(entry.deny(), 0, key.prefixLength(), 0, 0).encode();
			this.map.update(key.encode(), value, BpfMap.ANY);
		}
		this.onChange.run();
	}

	/**
	 * Removes the keys of an entry.
	 * @param entry the decision
	 * @return whether any key existed
	 */
	public boolean remove(PolicyMapEntry entry) {
		boolean removed = false;
		for (DatapathStructs.PolicyKey key : entry.keys()) {
			removed |= this.map.delete(key.encode());
		}
		this.onChange.run();
		return removed;
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
