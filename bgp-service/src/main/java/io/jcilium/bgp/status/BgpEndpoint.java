package io.jcilium.bgp.status;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.jcilium.bgp.config.BgpProperties;
import io.jcilium.bgp.reconcile.SpeakerReconciler;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.PeerStatus;
import io.jcilium.bgp.wire.Prefix;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/bgp}: every neighbour (upstream's {@code cilium bgp peers} columns and
 * the last error) and the routes advertised to them.
 */
@Component
@Endpoint(id = "bgp")
public class BgpEndpoint {

	private final RunningSpeaker speaker;

	private final String node;

	public BgpEndpoint(ObjectProvider<BgpSpeaker> speaker, ObjectProvider<SpeakerReconciler> reconciler,
			BgpProperties properties) {
		this.speaker = new RunningSpeaker(speaker, reconciler);
		this.node = Objects.requireNonNullElse(properties.nodeName(), "");
	}

	/**
	 * The view of the speaker; {@code configured} is false when nothing configures it;
	 * {@code node} is {@code bgp.node-name} (the console's Node column), empty if unset.
	 */
	public record BgpView(String node, boolean configured, List<PeerView> peers, List<RouteView> advertised) {
	}

	/** One neighbour. */
	public record PeerView(String peerAddress, long localAsn, long peerAsn, String sessionState, long uptimeSeconds,
			Map<String, Integer> received, Map<String, Integer> advertised, String lastError) {

		static PeerView of(PeerStatus status) {
			Map<String, Integer> received = new TreeMap<>();
			status.received().forEach((family, count) -> received.put(family.name().toLowerCase(), count));
			Map<String, Integer> advertised = new TreeMap<>();
			status.advertised().forEach((family, count) -> advertised.put(family.name().toLowerCase(), count));
			return new PeerView(status.peerAddress(), status.localAsn(), status.peerAsn(),
					status.state().name().toLowerCase().replace('_', '-'), status.uptime().toSeconds(), received,
					advertised, status.lastError());
		}

	}

	/**
	 * One advertised route, and the neighbours it goes to (each neighbour gets what its
	 * own advertisement selection picks).
	 */
	public record RouteView(String prefix, String family, List<Long> communities, Long localPreference,
			List<String> peers) {
	}

	@ReadOperation
	public BgpView bgp() {
		BgpSpeaker running = this.speaker.get();
		if (running == null) {
			return new BgpView(this.node, false, List.of(), List.of());
		}
		Map<String, Map<Prefix, RouteAttributes>> byNeighbour = running.advertisedByNeighbour();
		List<RouteView> routes = running.advertised().entrySet().stream().map((route) -> {
			List<String> peers = byNeighbour.entrySet()
				.stream()
				.filter((neighbour) -> neighbour.getValue().containsKey(route.getKey()))
				.map(Map.Entry::getKey)
				.toList();
			return new RouteView(route.getKey().toString(), route.getKey().family().name().toLowerCase(),
					route.getValue().communities(), route.getValue().localPref(), peers);
		}).toList();
		return new BgpView(this.node, true, running.status().stream().map(PeerView::of).toList(), routes);
	}

}
