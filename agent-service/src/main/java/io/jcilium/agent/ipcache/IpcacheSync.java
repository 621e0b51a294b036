package io.jcilium.agent.ipcache;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.jcilium.common.net.Cidr;

/**
 * Level-triggered feed of the ipcache from API objects: each owner (a node, a
 * CiliumEndpoint) states the prefixes it wants, and only the differences reach
 * {@link IpcacheUpdates}. When two owners claim one prefix (an IP moving between nodes or
 * pods), the latest claim is in force and the other takes over again when it goes, so a
 * prefix is removed only once nobody claims it.
 */
public final class IpcacheSync {

	private final Supplier<IpcacheUpdates> updates;

	private final Map<String, Map<Cidr, Entry>> byOwner = new HashMap<>();

	private final Map<Cidr, LinkedHashMap<String, Entry>> claims = new HashMap<>();

	private final Map<Cidr, Entry> effective = new HashMap<>();

	public IpcacheSync(Supplier<IpcacheUpdates> updates) {
		this.updates = updates;
	}

	/**
	 * Set everything one owner wants in the ipcache.
	 * @param owner e.g. {@code node/worker-2} or {@code cep/default/web}
	 * @param desired its prefixes; empty to withdraw them all
	 */
	public synchronized void sync(String owner, Map<Cidr, Entry> desired) {
		Map<Cidr, Entry> previous = this.byOwner.getOrDefault(owner, Map.of());
		for (Cidr prefix : previous.keySet()) {
			if (!desired.containsKey(prefix)) {
				LinkedHashMap<String, Entry> holders = this.claims.get(prefix);
				holders.remove(owner);
				if (holders.isEmpty()) {
					this.claims.remove(prefix);
					this.effective.remove(prefix);
					this.updates.get().remove(prefix);
				}
				else {
					publish(prefix, last(holders));
				}
			}
		}
		desired.forEach((prefix, entry) -> {
			LinkedHashMap<String, Entry> holders = this.claims.computeIfAbsent(prefix, (p) -> new LinkedHashMap<>());
			if (!entry.equals(holders.get(owner))) {
				holders.remove(owner);
				holders.put(owner, entry);
				publish(prefix, entry);
			}
		});
		if (desired.isEmpty()) {
			this.byOwner.remove(owner);
		}
		else {
			this.byOwner.put(owner, Map.copyOf(desired));
		}
	}

	private void publish(Cidr prefix, Entry entry) {
		if (!entry.equals(this.effective.get(prefix))) {
			this.effective.put(prefix, entry);
			this.updates.get().upsert(prefix, entry.identity(), entry.tunnelEndpoint());
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
