package io.jcilium.agent.ipcache;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import io.jcilium.common.net.Cidr;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Level-triggered feed of the ipcache from API objects: each owner (a node, a
 * CiliumEndpoint) states the prefixes it wants, and only the differences reach
 * {@link IpcacheUpdates}. When two owners claim one prefix (an IP moving between nodes or
 * pods), the latest claim is in force and the other takes over again when it goes, so a
 * prefix is removed only once nobody claims it. Claims made through {@link #syncFallback}
 * (prefixes derived from policy, such as CIDR identities) yield to every other owner's,
 * as upstream's ipcache prefers API-server sources over generated ones: a policy naming a
 * node's or a pod's address never takes its identity away. A write that fails is retried
 * by the {@value #RETRY_JOB} job with backoff and jitter until it goes through.
 */
public final class IpcacheSync {

	public static final String RETRY_JOB = "ipcache-retry";

	/** After a failed retry: 200 ms doubling to 30 s, with jitter. */
	static final Backoff RETRY = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

	/** A sweep for failed writes even when no failure asked for a retry. */
	static final Duration RETRY_INTERVAL = Duration.ofMinutes(5);

	private static final Logger logger = LoggerFactory.getLogger(IpcacheSync.class);

	private final Supplier<IpcacheUpdates> updates;

	private final Map<String, Map<Cidr, Entry>> byOwner = new HashMap<>();

	private final Map<Cidr, LinkedHashMap<String, Entry>> claims = new HashMap<>();

	/** Owners whose claims yield to any other owner's. */
	private final Set<String> fallbackOwners = new HashSet<>();

	/** What the datapath holds: changed only once a write went through. */
	private final Map<Cidr, Entry> written = new HashMap<>();

	/** Prefixes whose last write failed, and why: written again by the retry job. */
	private final Map<Cidr, String> failed = new LinkedHashMap<>();

	private final Job retry;

	/**
	 * A feed.
	 * @param updates where the entries are written
	 * @param jobs where its retry job lives
	 */
	public IpcacheSync(Supplier<IpcacheUpdates> updates, Jobs jobs) {
		this.updates = updates;
		this.retry = jobs.periodic(RETRY_JOB, RETRY_INTERVAL, RETRY, this::retryFailed);
	}

	/**
	 * Set everything one owner wants in the ipcache. A write that fails does not stop the
	 * others and is never taken for a written entry; its prefix is written again by the
	 * retry job, or at the next sync of any owner, whichever comes first.
	 * @param owner e.g. {@code node/worker-2} or {@code cep/default/web}
	 * @param desired its prefixes; empty to withdraw them all
	 */
	public synchronized void sync(String owner, Map<Cidr, Entry> desired) {
		Set<Cidr> touched = new LinkedHashSet<>(this.failed.keySet());
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
		if (!this.failed.isEmpty()) {
			requestRetry();
		}
	}

	/**
	 * Like {@link #sync}, for an owner whose claims are in force only where no other
	 * owner claims the same prefix.
	 * @param owner e.g. {@code policy/cidr}
	 * @param desired its prefixes; empty to withdraw them all
	 */
	public synchronized void syncFallback(String owner, Map<Cidr, Entry> desired) {
		this.fallbackOwners.add(owner);
		sync(owner, desired);
	}

	/**
	 * Prefixes whose last write failed and wait for a retry.
	 * @return how many
	 */
	public synchronized int failedWrites() {
		return this.failed.size();
	}

	/** The retry job's run: fails, naming what and why, while a write still fails. */
	private synchronized void retryFailed() {
		Set<Cidr> retried = new LinkedHashSet<>(this.failed.keySet());
		this.failed.clear();
		retried.forEach(this::converge);
		if (!this.failed.isEmpty()) {
			StringBuilder why = new StringBuilder("ipcache entries not written:");
			this.failed
				.forEach((prefix, error) -> why.append(' ').append(prefix).append(" (").append(error).append(')'));
			throw new IllegalStateException(why.toString());
		}
	}

	private void requestRetry() {
		if (this.retry.isRunning()) {
			this.retry.trigger();
		}
		else {
			this.retry.start();
		}
	}

	private void converge(Cidr prefix) {
		LinkedHashMap<String, Entry> holders = this.claims.get(prefix);
		Entry wanted = (holders != null) ? inForce(holders) : null;
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
			this.failed.put(prefix, ex.getMessage());
			logger.warn("ipcache {} not written ({}); retried with backoff", prefix, ex.getMessage());
		}
	}

	/** The latest claim of a regular owner, else the latest fallback claim. */
	private Entry inForce(LinkedHashMap<String, Entry> holders) {
		Entry last = null;
		Entry lastFallback = null;
		for (Map.Entry<String, Entry> holder : holders.entrySet()) {
			if (this.fallbackOwners.contains(holder.getKey())) {
				lastFallback = holder.getValue();
			}
			else {
				last = holder.getValue();
			}
		}
		return (last != null) ? last : lastFallback;
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
