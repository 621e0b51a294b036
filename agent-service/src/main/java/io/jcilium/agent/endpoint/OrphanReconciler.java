package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.jcilium.agent.ipam.PodIpOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees a held orphan once the API server proves its address unused, level-triggered
 * (each run looks at every orphan afresh): the pod informer of this node has synced, no
 * pod scheduled here has the address in its status, and the orphan has been held for the
 * grace period (a pod whose address the kubelet has not reported yet must not lose it).
 * Without a Kubernetes connection nothing is freed: a missing answer is no proof. Once no
 * orphan is held and no pod veth is without an endpoint, the endpoint ids of quarantined
 * state files are freed too.
 */
final class OrphanReconciler {

	private static final Logger logger = LoggerFactory.getLogger(OrphanReconciler.class);

	private final HeldOrphans orphans;

	private final Supplier<Optional<LocalPodAddresses>> pods;

	private final Clock clock;

	private final Duration gracePeriod;

	private final Predicate<HeldOrphan> release;

	private final QuarantinedIds quarantinedIds;

	/**
	 * @param orphans the orphans held
	 * @param pods this node's pods' addresses, empty without a Kubernetes connection
	 * @param clock measures the grace period
	 * @param gracePeriod how long an orphan is held at least
	 * @param release frees address and veth of an orphan; false if it is no longer an
	 * orphan (CNI DEL or ADD came first)
	 * @param quarantinedIds ids of quarantined state files, freed once no orphan is held
	 */
	OrphanReconciler(HeldOrphans orphans, Supplier<Optional<LocalPodAddresses>> pods, Clock clock, Duration gracePeriod,
			Predicate<HeldOrphan> release, QuarantinedIds quarantinedIds) {
		this.quarantinedIds = quarantinedIds;
		this.orphans = orphans;
		this.pods = pods;
		this.clock = clock;
		this.gracePeriod = gracePeriod;
		this.release = release;
	}

	/** One pass over every held orphan. */
	void reconcile() {
		Instant now = this.clock.instant();
		Optional<LocalPodAddresses> pods = this.pods.get();
		for (HeldOrphan orphan : this.orphans.all()) {
			PodIpOwner owner = new PodIpOwner(orphan.containerId(), orphan.ifName());
			Instant since = (orphan.heldSince() != null) ? orphan.heldSince() : now;
			String because = whyHeld(orphan, since, now, pods);
			if (because == null) {
				logger.info("freeing address {} and veth {} of container {}: no pod of this node claims the address",
						orphan.ip(), orphan.hostIfName(), owner);
				if (this.release.test(orphan)) {
					this.orphans.freed(owner);
					continue;
				}
				this.orphans.forget(owner);
				continue;
			}
			this.orphans.update(owner, (held) -> held.seen(since, because));
		}
		this.quarantinedIds.releaseIfUnused(this.orphans);
	}

	/**
	 * @return why the orphan stays held, or {@code null} if it may be freed
	 */
	private String whyHeld(HeldOrphan orphan, Instant since, Instant now, Optional<LocalPodAddresses> pods) {
		if (pods.isEmpty()) {
			return "no Kubernetes connection: kept until CNI DEL of its pod";
		}
		if (!pods.get().synced()) {
			return "the pod informer of this node has not synced yet";
		}
		Optional<String> claimant = pods.get().claimant(address(orphan.ip()));
		if (claimant.isPresent()) {
			return "pod " + claimant.get() + " claims the address";
		}
		Instant until = since.plus(this.gracePeriod);
		if (now.isBefore(until)) {
			return "no pod claims the address; grace period until " + until;
		}
		return null;
	}

	private static InetAddress address(String ip) {
		try {
			// A literal: no name lookup.
			return InetAddress.getByName(ip);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("held address " + ip + " is not an IP literal", ex);
		}
	}

}
