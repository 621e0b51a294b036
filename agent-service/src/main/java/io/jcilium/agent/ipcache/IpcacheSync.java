package io.jcilium.agent.ipcache;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import io.jcilium.common.net.Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Level-triggered feed of the ipcache from API objects: each owner (a node, a
 * CiliumEndpoint) states the prefixes it wants, and only the differences reach
 * {@link IpcacheUpdates}. When two owners claim one prefix (an IP moving between nodes or
 * pods), the latest claim is in force and the other takes over again when it goes, so a
 * prefix is removed only once nobody claims it.
 */
public final class IpcacheSync {

	private static final Logger logger = LoggerFactory.getLogger(IpcacheSync.class);

	private final Supplier<IpcacheUpdates> updates;

	private final Map<String, Map<Cidr, Entry>> byOwner = new HashMap<>();

	private final Map<Cidr, LinkedHashMap<String, Entry>> claims = new HashMap<>();

	/** What the datapath holds: changed only once a write went through. */
	private final Map<Cidr, Entry> written = new HashMap<>();

	/** Prefixes whose last write failed, written again at the next sync. */
	private final Set<Cidr> failed = new LinkedHashSet<>();

	public IpcacheSync(Supplier<IpcacheUpdates> updates) {
		this.updates = updates;
	}

	/**
	 * Set everything one owner wants in the ipcache. A write that fails does not stop the
	 * others; its prefix is written again at the next sync of any owner (informers resync
	 * periodically), so a failure is never taken for a written entry.
	 * @param owner e.g. {@code node/worker-2} or {@code cep/default/web}
	 * @param desired its prefixes; empty to withdraw them all
	 */
	public synchronized void sync(String owner, Map<Cidr, Entry> desired) {
		Set<Cidr> touched = new LinkedHashSet<>(this.failed);
		this.failed.clear();
		Map<Cidr, Entry> previous = this.byOwner.getOrDefault(owner, Map.of());
		for (Cidr prefix : previous.keySet()) {
			if (!desired.containsKey(prefix)) {
				LinkedHashMap<String, Entry> holders = this.claims.get(prefix);
				holders.remove(owner);
				if (holders.isEmpty()) {
					this.claims.remove(prefix);
				}
				touched.add(prefix);
			}
		}
		desired.forEach((prefix, entry) -> {
			LinkedHashMap<String, Entry> holders = this.claims.computeIfAbsent(prefix, (p) -> new LinkedHashMap<>());
			if (!entry.equals(holders.get(owner))) {
				// the latest claim wins: move it last
				holders.remove(owner);
				holders.put(owner, entry);
				touched.add(prefix);
			}
		});
		if (desired.isEmpty()) {
			this.byOwner.remove(owner);
		}
		else {
			this.byOwner.put(owner, Map.copyOf(desired));
		}
		touched.forEach(this::converge);
	}

	/**
	 * Prefixes whose last write failed and waits for the next sync.
	 * @return how many
	 */
	public synchronized int failedWrites() {
		return this.failed.size();
	}

	private void converge(Cidr prefix) {
		LinkedHashMap<String, Entry> holders = this.claims.get(prefix);
		Entry wanted = (holders != null) ? last(holders) : null;
		if (Objects.equals(wanted, this.written.get(prefix))) {
			return;
		}
		try {
			if (wanted == null) {
				this.updates.get().remove(prefix);
				this.written.remove(prefix);
			}
			else {
				this.updates.get().upsert(prefix, wanted.identity(), wanted.tunnelEndpoint());
				this.written.put(prefix, wanted);
			}
		}
		catch (RuntimeException ex) {
			this.failed.add(prefix);
			logger.warn("ipcache {} not written ({}); written again at the next sync", prefix, ex.getMessage());
		}
	}

	private static Entry last(LinkedHashMap<String, Entry> holders) {
		Entry last = null;
		for (Entry entry : holders.values()) {
			last = entry;
		}
		return last;
	}

	/**
	 * What a prefix maps to.
	 *
	 * @param identity the security identity
	 * @param tunnelEndpoint the node hosting it, or {@code null}
	 */
	public record Entry(long identity, InetAddress tunnelEndpoint) {

	}

}
