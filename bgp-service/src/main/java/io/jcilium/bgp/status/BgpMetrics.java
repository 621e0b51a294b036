package io.jcilium.bgp.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.PeerStatus;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Upstream's BGP control plane metrics under our prefix: per neighbour
 * {@code jcilium_bgp_control_plane_session_state} (1 Established, 0 otherwise) and per
 * neighbour and family {@code jcilium_bgp_control_plane_total_advertised_routes} and
 * {@code ..._total_received_routes}, labelled as upstream ({@code vrouter} our AS,
 * {@code neighbor}, {@code neighbor_asn}, {@code afi}, {@code safi}). Neighbours come and
 * go with the configuration, so the rows are rebuilt from the speaker's status by a named
 * periodic job; a neighbour removed disappears from the series.
 */
public final class BgpMetrics implements MeterBinder, AutoCloseable {

	private static final Backoff BACKOFF = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));

	private final Supplier<BgpSpeaker> speaker;

	private final Jobs jobs = new Jobs("bgp-metrics", 1);

	private final Job job;

	private volatile MultiGauge sessionState;

	private volatile MultiGauge advertised;

	private volatile MultiGauge received;

	/**
	 * @param speaker the speaker running now, or {@code null} when none is
	 * @param refresh how often the rows follow the speaker
	 */
	public BgpMetrics(Supplier<BgpSpeaker> speaker, Duration refresh) {
		this.speaker = speaker;
		this.job = this.jobs.periodic("bgp-metrics-refresh", refresh, BACKOFF, this::refresh);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.sessionState = MultiGauge.builder("jcilium_bgp_control_plane_session_state")
			.description("BGP session state per neighbour: 1 Established, 0 otherwise")
			.register(registry);
		this.advertised = MultiGauge.builder("jcilium_bgp_control_plane_total_advertised_routes")
			.description("Routes advertised to the neighbour, per family")
			.register(registry);
		this.received = MultiGauge.builder("jcilium_bgp_control_plane_total_received_routes")
			.description("Routes received from the neighbour, per family")
			.register(registry);
		refresh();
		this.job.start();
	}

	/** Rebuilds the rows from the speaker's status now. */
	public void refresh() {
		if (this.sessionState == null) {
			return;
		}
		BgpSpeaker running = this.speaker.get();
		List<PeerStatus> peers = (running != null) ? running.status() : List.of();
		List<MultiGauge.Row<?>> states = new ArrayList<>();
		List<MultiGauge.Row<?>> advertisedRows = new ArrayList<>();
		List<MultiGauge.Row<?>> receivedRows = new ArrayList<>();
		for (PeerStatus peer : peers) {
			Tags tags = Tags.of("vrouter", Long.toString(peer.localAsn()), "neighbor", peer.peerAddress(),
					"neighbor_asn", Long.toString(peer.peerAsn()));
			states.add(MultiGauge.Row.of(tags, (peer.state() == SessionState.ESTABLISHED) ? 1 : 0));
			rows(tags, peer.advertised(), advertisedRows);
			rows(tags, peer.received(), receivedRows);
		}
		this.sessionState.register(states, true);
		this.advertised.register(advertisedRows, true);
		this.received.register(receivedRows, true);
	}

	private static void rows(Tags peer, Map<AddressFamily, Integer> counts, List<MultiGauge.Row<?>> rows) {
		counts.forEach((family, count) -> rows.add(MultiGauge.Row
			.of(peer.and("afi", (family == AddressFamily.IPV4_UNICAST) ? "ipv4" : "ipv6", "safi", "unicast"), count)));
	}

	@Override
	public void close() {
		this.job.stop();
		this.jobs.close();
	}

}
