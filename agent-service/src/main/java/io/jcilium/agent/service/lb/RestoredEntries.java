package io.jcilium.agent.service.lb;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a restarted agent found in the LB maps, held until the services are synced from
 * the API server, as upstream restores its service maps across a restart: whole frontends
 * keep serving and are taken over by the service that claims their key (only the
 * difference is written); entries that belong to no whole frontend (slots beyond a
 * master's count, a frontend whose backend or rev NAT entry is missing, a second id of
 * one value) are strays. Once synced, {@link #removeUnclaimed} deletes the frontends no
 * service claimed, the strays, and the backends, rev NAT entries, affinity matches and
 * Maglev tables nothing uses any more.
 */
final class RestoredEntries {

	private final Map<FrontendKey, LbFrontend> frontends = new LinkedHashMap<>();

	private final Map<FrontendKey, Set<Integer>> strays = new LinkedHashMap<>();

	private final List<Integer> staleBackendIds;

	private final List<Integer> staleReverseNatIds;

	private final Set<List<Integer>> affinityMatches;

	private final Set<Integer> maglevTables;

	private RestoredEntries(LbMaps.Contents contents, IdPool<L4Address> backendIds, IdPool<L4Address> reverseNatIds,
			MaglevTables maglev) {
		this.affinityMatches = new HashSet<>(contents.affinityMatches());
		this.maglevTables = new HashSet<>(contents.maglevTables());
		this.staleBackendIds = backendIds.adopt(contents.backends(), List.of());
		Map<Integer, L4Address> reverseNat = new HashMap<>();
		Set<FrontendKey> broken = new HashSet<>();
		contents.masters().forEach((key, master) -> {
			InetSocketAddress entry = contents.reverseNat().get(master.reverseNat());
			boolean sameAddress = entry != null && entry.getAddress().equals(key.address().address())
					&& entry.getPort() == key.address().port();
			L4Address named = sameAddress ? reverseNat.putIfAbsent(master.reverseNat(), key.address()) : null;
			if (!sameAddress || (named != null && !named.equals(key.address()))) {
				// the entry answers for another address, or for another protocol's
				// frontend
				broken.add(key);
			}
		});
		Set<Integer> unnamed = new TreeSet<>(contents.reverseNat().keySet());
		unnamed.removeAll(reverseNat.keySet());
		this.staleReverseNatIds = reverseNatIds.adopt(reverseNat, unnamed);
		contents.masters().forEach((key, master) -> {
			Map<Integer, Integer> slots = contents.slots().getOrDefault(key, Map.of());
			LbFrontend whole = broken.contains(key) ? null
					: whole(key, master, slots, contents.backends(), backendIds, reverseNatIds);
			if (whole != null && maglev.hasTable(whole) && !whole.backends().isEmpty()
					&& !contents.maglevTables().contains(master.reverseNat())) {
				// it lacks the Maglev table it should have (Maglev turned on across the
				// restart): rewritten whole when claimed, as a table is only written when
				// the backends change
				whole = null;
			}
			if (whole == null) {
				stray(key, 0);
				slots.keySet().forEach((slot) -> stray(key, slot));
				return;
			}
			this.frontends.put(key, whole);
			slots.keySet().stream().filter((slot) -> slot > master.count()).forEach((slot) -> stray(key, slot));
			new LinkedHashSet<>(whole.backends()).forEach(backendIds::retain);
			reverseNatIds.retain(whole.reverseNat());
		});
		contents.slots().forEach((key, slots) -> {
			if (!contents.masters().containsKey(key)) {
				slots.keySet().forEach((slot) -> stray(key, slot));
			}
		});
	}

	/**
	 * Reads what the maps hold and hands the ids in use to the pools (which must be
	 * unused).
	 * @param contents the maps' entries
	 * @param backendIds the backend ids
	 * @param reverseNatIds the rev NAT indexes
	 * @param maglev which frontends have a Maglev table
	 * @return the restored entries
	 */
	static RestoredEntries read(LbMaps.Contents contents, IdPool<L4Address> backendIds, IdPool<L4Address> reverseNatIds,
			MaglevTables maglev) {
		return new RestoredEntries(contents, backendIds, reverseNatIds, maglev);
	}

	private static LbFrontend whole(FrontendKey key, LbMaps.Master master, Map<Integer, Integer> slots,
			Map<Integer, L4Address> backends, IdPool<L4Address> backendIds, IdPool<L4Address> reverseNatIds) {
		FrontendKind kind = kindOf(master.flags());
		if (kind == null || reverseNatIds.find(key.address()).orElse(-1) != master.reverseNat()) {
			return null;
		}
		List<L4Address> slotted = new ArrayList<>();
		for (int slot = 1; slot <= master.count(); slot++) {
			Integer id = slots.get(slot);
			L4Address backend = (id != null) ? backends.get(id) : null;
			// a slot naming a second id of one backend would be left behind on takeover
			if (backend == null || backendIds.find(backend).orElse(-1).intValue() != id) {
				return null;
			}
			slotted.add(backend);
		}
		return new LbFrontend(key, kind, master.flags(), master.affinityTimeoutSeconds(), slotted);
	}

	private static FrontendKind kindOf(int flags) {
		for (FrontendKind kind : FrontendKind.values()) {
			if ((flags & kind.flag()) != 0) {
				return kind;
			}
		}
		return null;
	}

	private void stray(FrontendKey key, int slot) {
		this.strays.computeIfAbsent(key, (k) -> new TreeSet<>()).add(slot);
	}

	/**
	 * The restored frontends among these keys, to take over.
	 * @param keys a service's frontends
	 * @return key -> frontend as restored
	 */
	Map<FrontendKey, LbFrontend> claimable(Collection<FrontendKey> keys) {
		Map<FrontendKey, LbFrontend> found = new LinkedHashMap<>();
		for (FrontendKey key : keys) {
			LbFrontend frontend = this.frontends.get(key);
			if (frontend != null) {
				found.put(key, frontend);
			}
		}
		return found;
	}

	/**
	 * Hands restored frontends over to the service that now owns them: their use of
	 * backends and rev NAT entries ends, and one nothing else uses is deleted.
	 * @param claimed the frontends, as restored
	 * @param maps the LB maps
	 * @param backendIds the backend ids
	 * @param reverseNatIds the rev NAT indexes
	 */
	void claimed(Collection<LbFrontend> claimed, LbMaps maps, IdPool<L4Address> backendIds,
			IdPool<L4Address> reverseNatIds) {
		for (LbFrontend frontend : claimed) {
			this.frontends.remove(frontend.key());
			release(frontend, maps, backendIds, reverseNatIds);
		}
	}

	/**
	 * Deletes everything no service took over: the frontends (master first), the strays
	 * no service rewrote, affinity matches and Maglev tables nothing wants, then backends
	 * and rev NAT entries nothing uses.
	 * @param maps the LB maps
	 * @param maglev the Maglev tables
	 * @param backendIds the backend ids
	 * @param reverseNatIds the rev NAT indexes
	 * @param applied every frontend the services own now, and the kept ones
	 * @param affinityMatches the affinity matches they want
	 * @param kept restored frontends to keep serving (their service was refused: the maps
	 * are full), held until the service is programmed or deleted
	 * @return service map entries deleted
	 */
	int removeUnclaimed(LbMaps maps, MaglevTables maglev, IdPool<L4Address> backendIds, IdPool<L4Address> reverseNatIds,
			Map<FrontendKey, LbFrontend> applied, Set<List<Integer>> affinityMatches, Set<FrontendKey> kept) {
		int removed = 0;
		List<LbFrontend> unclaimed = this.frontends.values()
			.stream()
			.filter((frontend) -> !kept.contains(frontend.key()))
			.toList();
		for (LbFrontend frontend : unclaimed) {
			for (int slot = 0; slot <= frontend.backends().size(); slot++) {
				maps.deleteSlot(frontend.key(), slot);
			}
			removed += 1 + frontend.backends().size();
		}
		for (Map.Entry<FrontendKey, Set<Integer>> entry : this.strays.entrySet()) {
			LbFrontend owner = applied.get(entry.getKey());
			for (int slot : entry.getValue()) {
				removed++;
				if (owner == null || slot > owner.backends().size()) {
					maps.deleteSlot(entry.getKey(), slot);
				}
			}
		}
		this.strays.clear();
		for (List<Integer> match : this.affinityMatches) {
			if (!affinityMatches.contains(match)) {
				maps.deleteAffinityMatch(match.get(0), match.get(1));
			}
		}
		this.affinityMatches.clear();
		Set<Integer> tablesInUse = new HashSet<>();
		applied.values()
			.stream()
			.filter(maglev::hasTable)
			.filter((frontend) -> !frontend.backends().isEmpty())
			.forEach((frontend) -> tablesInUse.add(reverseNatIds.idOf(frontend.reverseNat())));
		for (int table : this.maglevTables) {
			if (!tablesInUse.contains(table)) {
				maps.deleteMaglevTable(table);
			}
		}
		this.maglevTables.clear();
		claimed(unclaimed, maps, backendIds, reverseNatIds);
		for (int id : this.staleBackendIds) {
			maps.deleteBackend(id);
			backendIds.free(id);
		}
		for (int id : this.staleReverseNatIds) {
			maps.deleteReverseNat(id);
			reverseNatIds.free(id);
		}
		this.staleBackendIds.clear();
		this.staleReverseNatIds.clear();
		backendIds.releaseUnused().forEach(maps::deleteBackend);
		reverseNatIds.releaseUnused().forEach(maps::deleteReverseNat);
		return removed;
	}

	private static void release(LbFrontend frontend, LbMaps maps, IdPool<L4Address> backendIds,
			IdPool<L4Address> reverseNatIds) {
		for (L4Address backend : new LinkedHashSet<>(frontend.backends())) {
			backendIds.release(backend).ifPresent(maps::deleteBackend);
		}
		reverseNatIds.release(frontend.reverseNat()).ifPresent(maps::deleteReverseNat);
	}

	/**
	 * Service map entries held: the restored frontends' masters and slots, and the
	 * strays.
	 * @return the count
	 */
	int serviceEntries() {
		return LbProgrammer.entries(this.frontends.values()) + this.strays.values().stream().mapToInt(Set::size).sum();
	}

	/**
	 * Restored frontends no service has taken over yet.
	 * @return the count
	 */
	int frontends() {
		return this.frontends.size();
	}

}
