package io.jcilium.bgp.session;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.bgp.fsm.Negotiated;
import io.jcilium.bgp.rib.AdvertisedRoutes;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.bgp.wire.UpdateMessage;
import io.jcilium.bgp.wire.UpdatePacker;

/**
 * What one neighbour has been sent (Adj-RIB-Out, RFC 4271 section 3.2): the whole table
 * and an End-of-RIB per family when the session comes up (RFC 4724 section 2), then only
 * changes. Confined to its peer's event loop.
 */
final class PeerAdvertiser {

	private final long localAsn;

	private final NeighbourConfig config;

	private final AdvertisedRoutes routes;

	private UpdateQueue queue;

	private RouteSender sender;

	private final Map<AddressFamily, Integer> counts = new EnumMap<>(AddressFamily.class);

	PeerAdvertiser(long localAsn, NeighbourConfig config, AdvertisedRoutes routes) {
		this.localAsn = localAsn;
		this.config = config;
		this.routes = routes;
	}

	/**
	 * Queues the whole table and the End-of-RIB markers; they go out as the socket takes
	 * them (see {@link UpdateQueue}).
	 */
	void sessionUp(Connection connection, Negotiated negotiated, InetSocketAddress local) {
		this.queue = new UpdateQueue(connection);
		this.sender = new RouteSender(this.localAsn, negotiated, local, this.config);
		List<UpdateMessage> updates = new ArrayList<>();
		for (AddressFamily family : AddressFamily.values()) {
			if (this.sender.carries(family)) {
				Map<RouteAttributes, List<Prefix>> table = this.routes.byAttributes(family);
				updates.addAll(this.sender.announceGrouped(family, table));
				this.counts.put(family, this.routes.count(family));
			}
		}
		for (AddressFamily family : negotiated.families()) {
			updates.add(UpdatePacker.endOfRib(family));
		}
		this.queue.send(updates);
	}

	/** The session's channel can take more: the rest of the queue goes on. */
	void writable() {
		if (this.queue != null) {
			this.queue.pump();
		}
	}

	void sessionDown() {
		this.queue = null;
		this.sender = null;
		this.counts.clear();
	}

	/** RFC 2918: the neighbour asked for the whole table of a family again. */
	void resend(AddressFamily family) {
		if (this.sender != null && this.sender.carries(family)) {
			this.queue.send(this.sender.announceGrouped(family, this.routes.byAttributes(family)));
		}
	}

	void changed(AdvertisedRoutes.Changes changes) {
		if (this.sender == null || changes.isEmpty()) {
			return;
		}
		List<UpdateMessage> updates = new ArrayList<>();
		for (AddressFamily family : AddressFamily.values()) {
			if (!this.sender.carries(family)) {
				continue;
			}
			List<Prefix> withdrawn = changes.withdrawn().stream().filter((p) -> p.family() == family).toList();
			if (!withdrawn.isEmpty()) {
				updates.addAll(this.sender.withdraw(family, withdrawn));
			}
			Map<Prefix, RouteAttributes> announced = new HashMap<>();
			changes.announced().forEach((prefix, attributes) -> {
				if (prefix.family() == family) {
					announced.put(prefix, attributes);
				}
			});
			if (!announced.isEmpty()) {
				updates.addAll(this.sender.announce(family, announced));
			}
			this.counts.put(family, this.routes.count(family));
		}
		this.queue.send(updates);
	}

	Map<AddressFamily, Integer> counts() {
		Map<AddressFamily, Integer> copy = new EnumMap<>(AddressFamily.class);
		copy.putAll(this.counts);
		return copy;
	}

}
