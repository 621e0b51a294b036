package io.jcilium.bgp.reconcile;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.SpeakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges the running speaker on a {@link SpeakerPlan} without resetting what did not
 * change: a neighbour whose settings are the same keeps its session, a changed one is
 * removed (Cease / Peer De-configured, RFC 4486) and added again with its new settings,
 * and routes go out as the difference to what each peer already has. Only a change of the
 * speaker itself (AS, router id, listen address or port: what every OPEN carries or every
 * connection uses) restarts the speaker with all its sessions. Each neighbour gets its
 * own routes ({@link SpeakerPlan#routesOf}). Level-triggered: applying the same plan
 * again changes nothing.
 */
public final class SpeakerReconciler implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SpeakerReconciler.class);

	private final Function<SpeakerConfig, BgpSpeaker> speakers;

	private BgpSpeaker speaker;

	private SpeakerConfig config;

	private final Map<InetAddress, NeighbourConfig> neighbours = new HashMap<>();

	/**
	 * @param speakers creates a (not yet started) speaker for a configuration
	 */
	public SpeakerReconciler(Function<SpeakerConfig, BgpSpeaker> speakers) {
		this.speakers = speakers;
	}

	/**
	 * Makes the speaker run the plan.
	 * @param plan what to run
	 * @return what had to change
	 * @throws InterruptedException when interrupted while binding the listener
	 */
	public synchronized Changes apply(SpeakerPlan plan) throws InterruptedException {
		List<String> added = new ArrayList<>();
		List<String> removed = new ArrayList<>();
		List<String> replaced = new ArrayList<>();
		boolean restarted = false;
		if (this.speaker == null || !this.config.equals(plan.speaker())) {
			restarted = this.speaker != null;
			stop(true);
			BgpSpeaker started = this.speakers.apply(plan.speaker());
			started.start();
			this.speaker = started;
			this.config = plan.speaker();
		}
		Map<InetAddress, NeighbourConfig> desired = new HashMap<>();
		plan.neighbours().forEach((neighbour) -> desired.put(neighbour.address(), neighbour));
		for (InetAddress address : List.copyOf(this.neighbours.keySet())) {
			if (!desired.containsKey(address)) {
				this.speaker.removeNeighbour(address);
				this.neighbours.remove(address);
				removed.add(address.getHostAddress());
			}
		}
		for (NeighbourConfig neighbour : desired.values()) {
			NeighbourConfig running = this.neighbours.get(neighbour.address());
			if (Objects.equals(running, neighbour)) {
				// Same session: only the routes that changed for this neighbour go out.
				this.speaker.advertise(neighbour.address(), plan.routesOf(neighbour));
				continue;
			}
			if (running != null) {
				this.speaker.removeNeighbour(neighbour.address());
				replaced.add(neighbour.name());
			}
			else {
				added.add(neighbour.name());
			}
			this.speaker.addNeighbour(neighbour, plan.routesOf(neighbour));
			this.neighbours.put(neighbour.address(), neighbour);
		}
		Changes changes = new Changes(restarted, added, removed, replaced);
		if (!changes.isEmpty()) {
			logger.info("BGP speaker AS {} reconciled: {}", plan.speaker().localAsn(), changes);
		}
		return changes;
	}

	/** The running speaker, or {@code null} before the first plan and after a stop. */
	public synchronized BgpSpeaker speaker() {
		return this.speaker;
	}

	/**
	 * Stops the speaker, as {@link BgpSpeaker#stop(boolean)}; the next plan starts a new
	 * one.
	 * @param graceful whether to tell the neighbours with a shutdown communication
	 */
	public synchronized void stop(boolean graceful) {
		if (this.speaker != null) {
			this.speaker.stop(graceful);
			this.speaker = null;
			this.config = null;
			this.neighbours.clear();
		}
	}

	@Override
	public void close() {
		stop(true);
	}

	/**
	 * What a reconciliation changed.
	 *
	 * @param restarted whether the speaker was restarted (every session reset)
	 * @param added neighbours added
	 * @param removed neighbours removed
	 * @param replaced neighbours whose settings changed, so their session was reset
	 */
	public record Changes(boolean restarted, List<String> added, List<String> removed, List<String> replaced) {

		public Changes {
			added = List.copyOf(added);
			removed = List.copyOf(removed);
			replaced = List.copyOf(replaced);
		}

		public boolean isEmpty() {
			return !this.restarted && this.added.isEmpty() && this.removed.isEmpty() && this.replaced.isEmpty();
		}

	}

}
