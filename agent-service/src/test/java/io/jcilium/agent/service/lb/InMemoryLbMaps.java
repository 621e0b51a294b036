package io.jcilium.agent.service.lb;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The LB maps in memory, with a log of every write and delete in order and the same
 * refusal as the kernel when a map is full.
 */
public final class InMemoryLbMaps implements LbMaps {

	private final Capacity capacity;

	public final Map<Integer, L4Address> backends = new HashMap<>();

	public final Map<Integer, L4Address> reverseNat = new HashMap<>();

	public final Map<FrontendKey, Master> masters = new HashMap<>();

	public final Map<FrontendKey, Map<Integer, Integer>> slots = new HashMap<>();

	public final Set<List<Integer>> affinityMatches = new HashSet<>();

	public final Map<Integer, int[]> maglevTables = new HashMap<>();

	public final List<String> log = new ArrayList<>();

	public InMemoryLbMaps(Capacity capacity) {
		this.capacity = capacity;
	}

	public InMemoryLbMaps() {
		this(new Capacity(65536, 65536, 65535));
	}

	@Override
	public void putBackend(int id, L4Address backend) {
		this.backends.put(id, backend);
		this.log.add("backend+ " + id + " " + backend);
	}

	@Override
	public void deleteBackend(int id) {
		this.backends.remove(id);
		this.log.add("backend- " + id);
	}

	@Override
	public void putReverseNat(int index, L4Address frontend) {
		this.reverseNat.put(index, frontend);
		this.log.add("revnat+ " + index + " " + frontend);
	}

	@Override
	public void deleteReverseNat(int index) {
		this.reverseNat.remove(index);
		this.log.add("revnat- " + index);
	}

	@Override
	public void putMaster(FrontendKey key, Master master) {
		for (int slot = 1; slot <= master.count(); slot++) {
			if (!this.slots.getOrDefault(key, Map.of()).containsKey(slot)) {
				throw new AssertionError("master of " + key + " counts slot " + slot + " which is not written");
			}
		}
		this.masters.put(key, master);
		this.log.add("master+ " + key + " count=" + master.count());
	}

	@Override
	public void putSlot(FrontendKey key, int slot, int backendId) {
		if (!this.backends.containsKey(backendId)) {
			throw new AssertionError("slot " + slot + " of " + key + " points at unwritten backend " + backendId);
		}
		this.slots.computeIfAbsent(key, (k) -> new HashMap<>()).put(slot, backendId);
		this.log.add("slot+ " + key + " " + slot + "=" + backendId);
	}

	@Override
	public void deleteSlot(FrontendKey key, int slot) {
		if (slot == 0) {
			this.masters.remove(key);
			this.log.add("master- " + key);
			return;
		}
		Master master = this.masters.get(key);
		if (master != null && slot <= master.count()) {
			throw new AssertionError("slot " + slot + " of " + key + " deleted while its master counts it");
		}
		Map<Integer, Integer> frontendSlots = this.slots.get(key);
		if (frontendSlots != null) {
			frontendSlots.remove(slot);
			if (frontendSlots.isEmpty()) {
				this.slots.remove(key);
			}
		}
		this.log.add("slot- " + key + " " + slot);
	}

	@Override
	public void putAffinityMatch(int backendId, int reverseNat) {
		this.affinityMatches.add(List.of(backendId, reverseNat));
		this.log.add("affinity+ " + backendId + "/" + reverseNat);
	}

	@Override
	public void deleteAffinityMatch(int backendId, int reverseNat) {
		this.affinityMatches.remove(List.of(backendId, reverseNat));
		this.log.add("affinity- " + backendId + "/" + reverseNat);
	}

	@Override
	public void putMaglevTable(int reverseNat, int[] backendIds) {
		this.maglevTables.put(reverseNat, backendIds.clone());
		this.log.add("maglev+ " + reverseNat);
	}

	@Override
	public void deleteMaglevTable(int reverseNat) {
		this.maglevTables.remove(reverseNat);
		this.log.add("maglev- " + reverseNat);
	}

	@Override
	public Contents contents() {
		Map<FrontendKey, Map<Integer, Integer>> slotCopies = new HashMap<>();
		this.slots.forEach((key, frontendSlots) -> slotCopies.put(key, Map.copyOf(frontendSlots)));
		Map<Integer, InetSocketAddress> frontends = new HashMap<>();
		this.reverseNat.forEach(
				(index, frontend) -> frontends.put(index, new InetSocketAddress(frontend.address(), frontend.port())));
		return new Contents(this.masters, slotCopies, this.backends, frontends, this.affinityMatches,
				this.maglevTables.keySet());
	}

	@Override
	public Capacity capacity() {
		return this.capacity;
	}

	/**
	 * Entries of the service map, as the kernel would count them.
	 * @return masters plus slots
	 */
	public int serviceEntries() {
		return this.masters.size() + this.slots.values().stream().mapToInt(Map::size).sum();
	}

	/**
	 * The backends a frontend's slots point at, in slot order.
	 * @param key the frontend
	 * @return the backends
	 */
	public List<L4Address> backendsOf(FrontendKey key) {
		Master master = this.masters.get(key);
		List<L4Address> result = new ArrayList<>();
		for (int slot = 1; master != null && slot <= master.count(); slot++) {
			result.add(this.backends.get(this.slots.get(key).get(slot)));
		}
		return result;
	}

}
