package io.jcilium.agent.service.lb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes services into the LB maps one service at a time, touching only the entries of
 * the service that changed: it compares the service's new frontends with what it wrote
 * for it last time and writes the difference, in an order that never lets the datapath
 * see a slot without its backend or a master counting slots that are not there yet:
 * <ol>
 * <li>new backends and rev NAT entries;</li>
 * <li>per frontend: changed slots, its Maglev table (external frontends, with Maglev on),
 * then the master (count, flags), then slots beyond the new count are deleted;</li>
 * <li>frontends the service no longer has (master first, then its slots);</li>
 * <li>rev NAT entries and backends no service uses any more.</li>
 * </ol>
 * A change that would not fit the maps is refused before anything is written
 * ({@link LbMapFullException}); the service keeps what it had. Plain Java: the maps are
 * behind {@link LbMaps}.
 * <p>
 * The first use takes over what the maps already hold ({@link #restore()}: a restarted
 * agent), keeping every id, so services go on being translated while the agent starts; a
 * service claiming a restored frontend gets only the difference written. Once the
 * services are synced, {@link #finishRestore()} deletes what no service claimed, except
 * the restored frontends of a service that was refused (the maps are full): they keep
 * serving, the last good state, until the service is programmed or deleted.
 */
public final class LbProgrammer {

	private static final Logger log = LoggerFactory.getLogger(LbProgrammer.class);

	private final LbMaps maps;

	private final LbMaps.Capacity capacity;

	private final IdPool<L4Address> backendIds;

	private final IdPool<L4Address> reverseNatIds;

	private final Map<ServiceName, Map<FrontendKey, LbFrontend>> applied = new HashMap<>();

	private final Map<FrontendKey, ServiceName> owners = new HashMap<>();

	private final MaglevTables maglev;

	private int serviceEntries;

	private RestoredEntries restored;

	/** Restored frontends of services refused since the restart: kept until applied. */
	private final Map<ServiceName, Set<FrontendKey>> held = new HashMap<>();

	private boolean synced;

	/**
	 * A programmer with random backend selection for traffic from outside.
	 * @param maps the LB maps
	 */
	public LbProgrammer(LbMaps maps) {
		this(maps, 0);
	}

	/**
	 * @param maps the LB maps
	 * @param maglevTableSize Maglev's M for external frontends, or 0 for none (random)
	 */
	public LbProgrammer(LbMaps maps, int maglevTableSize) {
		this.maps = maps;
		this.maglev = new MaglevTables(maps, maglevTableSize);
		this.capacity = maps.capacity();
		this.backendIds = new IdPool<>("backend", this.capacity.backends());
		// rev NAT indexes are 16 bits in the datapath
		this.reverseNatIds = new IdPool<>("rev NAT", Math.min(this.capacity.reverseNat(), 0xffff));
	}

	/**
	 * Makes the maps hold exactly these frontends for the service.
	 * @param name the service
	 * @param desired its frontends now; empty removes the service
	 * @throws LbMapFullException if the change does not fit (nothing was written)
	 */
	public synchronized void apply(ServiceName name, Collection<LbFrontend> desired) {
		restore();
		Map<FrontendKey, LbFrontend> owned = this.applied.getOrDefault(name, Map.of());
		Map<FrontendKey, LbFrontend> next = ownFrontends(name, desired);
		// restored frontends this service takes over count as written before
		Map<FrontendKey, LbFrontend> claimed = this.restored.claimable(next.keySet());
		Map<FrontendKey, LbFrontend> old = new LinkedHashMap<>(claimed);
		old.putAll(owned);
		try {
			new CapacityCheck(name, this.capacity, this.serviceEntries).check(old, next, this.backendIds,
					this.reverseNatIds);
		}
		catch (LbMapFullException ex) {
			if (!claimed.isEmpty()) {
				this.held.computeIfAbsent(name, (n) -> new HashSet<>()).addAll(claimed.keySet());
			}
			throw ex;
		}
		Set<L4Address> oldBackends = backendsOf(owned.values());
		Set<L4Address> newBackends = backendsOf(next.values());
		Set<L4Address> oldReverseNat = reverseNatOf(owned.values());
		Set<L4Address> newReverseNat = reverseNatOf(next.values());
		writeNew(newBackends, this.backendIds, this.maps::putBackend);
		writeNew(newReverseNat, this.reverseNatIds, this.maps::putReverseNat);
		Set<List<Integer>> oldMatches = affinityMatches(old.values());
		Set<List<Integer>> newMatches = affinityMatches(next.values());
		for (List<Integer> match : newMatches) {
			if (!oldMatches.contains(match)) {
				this.maps.putAffinityMatch(match.get(0), match.get(1));
			}
		}
		for (LbFrontend frontend : next.values()) {
			writeFrontend(old.get(frontend.key()), frontend);
		}
		for (LbFrontend gone : old.values()) {
			if (!next.containsKey(gone.key())) {
				for (int slot = 0; slot <= gone.backends().size(); slot++) {
					this.maps.deleteSlot(gone.key(), slot);
				}
				this.maglev.remove(gone, this.reverseNatIds.idOf(gone.reverseNat()));
				this.owners.remove(gone.key());
			}
		}
		for (List<Integer> match : oldMatches) {
			if (!newMatches.contains(match)) {
				this.maps.deleteAffinityMatch(match.get(0), match.get(1));
			}
		}
		commit(oldReverseNat, newReverseNat, this.reverseNatIds, this.maps::deleteReverseNat);
		commit(oldBackends, newBackends, this.backendIds, this.maps::deleteBackend);
		this.restored.claimed(claimed.values(), this.maps, this.backendIds, this.reverseNatIds);
		this.serviceEntries += entries(next.values()) - entries(old.values());
		if (next.isEmpty()) {
			this.applied.remove(name);
		}
		else {
			this.applied.put(name, next);
			next.keySet().forEach((key) -> this.owners.put(key, name));
		}
		Set<FrontendKey> wasHeld = this.held.remove(name);
		if (wasHeld != null && this.synced) {
			// programmed (or deleted) at last: what it no longer has goes now
			removeRestored(wasHeld);
		}
	}

	/**
	 * Takes over what the LB maps hold (once; later calls do nothing): the entries of
	 * every whole frontend keep their ids and go on serving until a service claims the
	 * frontend or {@link #finishRestore()} removes it.
	 */
	public synchronized void restore() {
		if (this.restored != null) {
			return;
		}
		RestoredEntries found = RestoredEntries.read(this.maps.contents(), this.backendIds, this.reverseNatIds,
				this.maglev);
		this.restored = found;
		this.serviceEntries += found.serviceEntries();
		if (found.serviceEntries() > 0) {
			log.info("Took over {} frontend(s) and {} service map entries the LB maps held; they are served until "
					+ "the services are synced", found.frontends(), found.serviceEntries());
		}
	}

	/**
	 * The services are synced from the API server and applied: deletes every restored
	 * entry no service claimed, and everything only they used.
	 * @return restored frontends removed
	 */
	public synchronized int finishRestore() {
		restore();
		Set<FrontendKey> keys = new HashSet<>();
		this.held.values().forEach(keys::addAll);
		Map<FrontendKey, LbFrontend> kept = this.restored.claimable(keys);
		int unclaimed = this.restored.frontends() - kept.size();
		Map<FrontendKey, LbFrontend> all = new HashMap<>(kept);
		this.applied.values().forEach(all::putAll);
		this.serviceEntries -= this.restored.removeUnclaimed(this.maps, this.maglev, this.backendIds,
				this.reverseNatIds, all, affinityMatches(all.values()), kept.keySet());
		this.synced = true;
		if (!kept.isEmpty()) {
			log.warn(
					"Kept {} restored frontend(s) of {} service(s) the LB maps have no room for: they are served "
							+ "as before the restart until the service is programmed or deleted",
					kept.size(), this.held.size());
		}
		return unclaimed;
	}

	/**
	 * Deletes restored frontends still held (their service was refused and is now
	 * programmed without them, or deleted), with what only they used.
	 * @param keys the service's held keys
	 */
	private void removeRestored(Set<FrontendKey> keys) {
		Map<FrontendKey, LbFrontend> gone = this.restored.claimable(keys);
		if (gone.isEmpty()) {
			return;
		}
		Map<FrontendKey, LbFrontend> wanted = new HashMap<>();
		this.applied.values().forEach(wanted::putAll);
		this.held.values().forEach((other) -> wanted.putAll(this.restored.claimable(other)));
		Set<List<Integer>> wantedMatches = affinityMatches(wanted.values());
		for (LbFrontend frontend : gone.values()) {
			for (int slot = 0; slot <= frontend.backends().size(); slot++) {
				this.maps.deleteSlot(frontend.key(), slot);
			}
			this.maglev.remove(frontend, this.reverseNatIds.idOf(frontend.reverseNat()));
			for (List<Integer> match : affinityMatches(List.of(frontend))) {
				if (!wantedMatches.contains(match)) {
					this.maps.deleteAffinityMatch(match.get(0), match.get(1));
				}
			}
			this.serviceEntries -= 1 + frontend.backends().size();
		}
		this.restored.claimed(gone.values(), this.maps, this.backendIds, this.reverseNatIds);
	}

	/**
	 * Whether the maps hold what the services want: true once {@link #finishRestore()}
	 * ran.
	 * @return the restore state
	 */
	public synchronized RestoreStatus restoreStatus() {
		return new RestoreStatus(this.synced, (this.restored != null) ? this.restored.frontends() : 0);
	}

	/**
	 * Removes everything the service wrote.
	 * @param name the service
	 */
	public void remove(ServiceName name) {
		apply(name, List.of());
	}

	/**
	 * What is programmed for a service.
	 * @param name the service
	 * @return its frontends, empty if none
	 */
	public synchronized List<LbFrontend> frontends(ServiceName name) {
		return List.copyOf(this.applied.getOrDefault(name, Map.of()).values());
	}

	/**
	 * Everything programmed, with the ids the maps hold, for the console's
	 * {@code service list} and {@code bpf lb list}.
	 * @return the frontends in {@link ProgrammedFrontend#ORDER}
	 */
	public synchronized List<ProgrammedFrontend> programmed() {
		List<ProgrammedFrontend> all = new ArrayList<>();
		this.applied.forEach(
				(name, frontends) -> frontends.values()
					.forEach((frontend) -> all.add(new ProgrammedFrontend(
							this.reverseNatIds.find(frontend.reverseNat()).orElse(0), name, frontend,
							frontend.backends().stream().map((b) -> this.backendIds.find(b).orElse(0)).toList()))));
		all.sort(ProgrammedFrontend.ORDER);
		return all;
	}

	public synchronized Set<ServiceName> services() {
		return Set.copyOf(this.applied.keySet());
	}

	/**
	 * Entries in use in the service map (masters and slots).
	 * @return the count
	 */
	public synchronized int serviceEntries() {
		return this.serviceEntries;
	}

	public synchronized int backends() {
		return this.backendIds.inUse();
	}

	private Map<FrontendKey, LbFrontend> ownFrontends(ServiceName name, Collection<LbFrontend> desired) {
		Map<FrontendKey, LbFrontend> next = new LinkedHashMap<>();
		for (LbFrontend frontend : desired) {
			ServiceName owner = this.owners.get(frontend.key());
			if (owner != null && !owner.equals(name)) {
				// Two services claiming one address and port: the first keeps it, as a
				// second listener on a port would fail.
				log.warn("Service {} claims frontend {} which service {} already has: ignored", name, frontend.key(),
						owner);
				continue;
			}
			next.put(frontend.key(), frontend);
		}
		return next;
	}

	private void writeFrontend(LbFrontend before, LbFrontend after) {
		List<Integer> ids = after.backends().stream().map(this.backendIds::idOf).toList();
		List<Integer> beforeIds = (before != null)
				? before.backends().stream().map((b) -> this.backendIds.find(b).orElse(0)).toList() : List.of();
		for (int i = 0; i < ids.size(); i++) {
			if (i >= beforeIds.size() || !beforeIds.get(i).equals(ids.get(i))) {
				this.maps.putSlot(after.key(), i + 1, ids.get(i));
			}
		}
		this.maglev.write(before, after, this.reverseNatIds.idOf(after.reverseNat()), this.backendIds::idOf);
		LbMaps.Master master = masterOf(after);
		if (before == null || !masterOf(before).equals(master)) {
			this.maps.putMaster(after.key(), master);
		}
		for (int slot = ids.size() + 1; slot <= beforeIds.size(); slot++) {
			this.maps.deleteSlot(after.key(), slot);
		}
	}

	private LbMaps.Master masterOf(LbFrontend frontend) {
		return new LbMaps.Master(frontend.backends().size(), this.reverseNatIds.idOf(frontend.reverseNat()),
				frontend.flags(), frontend.affinityTimeoutSeconds());
	}

	private Set<List<Integer>> affinityMatches(Collection<LbFrontend> frontends) {
		Set<List<Integer>> matches = new HashSet<>();
		for (LbFrontend frontend : frontends) {
			if ((frontend.flags() & FrontendKind.AFFINITY) == 0) {
				continue;
			}
			int reverseNat = this.reverseNatIds.idOf(frontend.reverseNat());
			for (L4Address backend : frontend.backends()) {
				matches.add(List.of(this.backendIds.idOf(backend), reverseNat));
			}
		}
		return matches;
	}

	private static void writeNew(Set<L4Address> values, IdPool<L4Address> pool, EntryWriter writer) {
		for (L4Address value : values) {
			if (pool.find(value).isEmpty()) {
				writer.write(pool.idOf(value), value);
			}
		}
	}

	private static void commit(Set<L4Address> old, Set<L4Address> next, IdPool<L4Address> pool, EntryDeleter deleter) {
		for (L4Address value : next) {
			if (!old.contains(value)) {
				pool.retain(value);
			}
		}
		for (L4Address value : old) {
			if (!next.contains(value)) {
				pool.release(value).ifPresent(deleter::delete);
			}
		}
	}

	static Set<L4Address> backendsOf(Collection<LbFrontend> frontends) {
		Set<L4Address> backends = new LinkedHashSet<>();
		frontends.forEach((frontend) -> backends.addAll(frontend.backends()));
		return backends;
	}

	static Set<L4Address> reverseNatOf(Collection<LbFrontend> frontends) {
		Set<L4Address> addresses = new LinkedHashSet<>();
		frontends.forEach((frontend) -> addresses.add(frontend.reverseNat()));
		return addresses;
	}

	static int entries(Collection<LbFrontend> frontends) {
		return frontends.stream().mapToInt((frontend) -> 1 + frontend.backends().size()).sum();
	}

	/**
	 * How far taking over the maps has come.
	 *
	 * @param synced whether the services were synced and what no service claimed is
	 * removed
	 * @param restoredFrontends restored frontends no service has claimed yet
	 */
	public record RestoreStatus(boolean synced, int restoredFrontends) {

	}

	@FunctionalInterface
	private interface EntryWriter {

		void write(int id, L4Address value);

	}

	@FunctionalInterface
	private interface EntryDeleter {

		void delete(int id);

	}

}
