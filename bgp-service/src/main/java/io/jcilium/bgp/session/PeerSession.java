package io.jcilium.bgp.session;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import io.jcilium.bgp.fsm.LocalSpeaker;
import io.jcilium.bgp.fsm.Negotiated;
import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.rib.AdjRibIn;
import io.jcilium.bgp.rib.AdvertisedRoutes;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.NotificationMessage;
import io.jcilium.bgp.wire.OpenMessage;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.bgp.wire.RouteRefreshMessage;
import io.jcilium.bgp.wire.UpdateMessage;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One neighbour: the Idle, Connect and Active states of RFC 4271 section 8 (connect-retry
 * with exponential backoff, passive or active opening), up to two connections while a
 * collision is resolved (section 6.8), and what goes to and comes from the Established
 * one. Confined to one event loop.
 */
final class PeerSession {

	private static final Logger logger = LoggerFactory.getLogger(PeerSession.class);

	private final NeighbourConfig config;

	private final LocalSpeaker local;

	private final EventLoop loop;

	private final Connector connector;

	private final ConnectRetry connectRetry;

	private final AdjRibIn ribIn = new AdjRibIn();

	private final AdvertisedRoutes routes;

	private final PeerAdvertiser advertiser;

	private final PeerConnections connections;

	private SessionState idleState = SessionState.IDLE;

	private boolean stopped;

	private volatile long establishedAtNanos;

	private volatile PeerStatus status;

	/** Opens an outgoing connection for a peer and hands it to {@link #connected}. */
	interface Connector {

		void connect(PeerSession peer);

	}

	PeerSession(NeighbourConfig config, LocalSpeaker local, EventLoop loop, Connector connector,
			AdvertisedRoutes routes) {
		this.config = config;
		this.local = local;
		this.loop = loop;
		this.connector = connector;
		this.connectRetry = new ConnectRetry(loop, config.connectRetrySeconds());
		this.routes = routes;
		this.advertiser = new PeerAdvertiser(local.localAsn(), config, routes);
		this.connections = new PeerConnections(local.bgpIdentifier());
		publishStatus("");
	}

	String name() {
		return this.config.name();
	}

	NeighbourConfig config() {
		return this.config;
	}

	EventLoop loop() {
		return this.loop;
	}

	LocalSpeaker localSpeaker() {
		return this.local;
	}

	PeerStatus status() {
		PeerStatus last = this.status;
		if (last.state() != SessionState.ESTABLISHED) {
			return last;
		}
		Duration uptime = Duration.ofNanos(System.nanoTime() - this.establishedAtNanos);
		return new PeerStatus(last.peerAddress(), last.localAsn(), last.peerAsn(), last.state(), uptime,
				last.families(), last.received(), last.advertised(), last.lastError());
	}

	void start() {
		this.loop.execute(() -> {
			if (this.config.passive()) {
				this.idleState = SessionState.ACTIVE;
				publishStatus("");
			}
			else {
				connect();
			}
		});
	}

	private void connect() {
		if (this.stopped || this.connections.hasOutgoing() || this.connections.established() != null) {
			return;
		}
		this.idleState = SessionState.CONNECT;
		publishStatus(this.status.lastError());
		this.connector.connect(this);
	}

	/** The outgoing connection came up (its handler is in the pipeline). */
	Connection connected(Channel channel) {
		Connection connection = new Connection(this, channel, true);
		this.loop.execute(() -> {
			if (this.stopped) {
				channel.close();
				return;
			}
			this.connections.addOutgoing(connection);
		});
		return connection;
	}

	void connectFailed(String reason) {
		this.loop.execute(() -> retryLater("connect failed: " + reason));
	}

	/** A connection from the neighbour arrived (its handler is added by the caller). */
	Connection accepted(Channel channel) {
		Connection connection = new Connection(this, channel, false);
		this.loop.execute(() -> {
			if (this.stopped) {
				channel.close();
				return;
			}
			this.connections.addIncoming(connection);
		});
		return connection;
	}

	boolean openReceived(Connection connection, OpenMessage open) {
		return this.connections.openReceived(connection, open);
	}

	void established(Connection connection, Negotiated negotiated) {
		this.connections.establish(connection);
		this.connectRetry.succeeded();
		this.establishedAtNanos = System.nanoTime();
		logger.info("BGP session with {} (AS {}) established, families {}", name(), this.config.peerAsn(),
				negotiated.families());
		this.advertiser.sessionUp(connection, negotiated, (InetSocketAddress) connection.channel().localAddress());
		publishStatus("");
	}

	/** A connection's channel can take more writes again. */
	void writable(Connection connection) {
		if (this.connections.established() == connection) {
			this.advertiser.writable();
		}
	}

	void update(UpdateMessage update) {
		this.ribIn.apply(update);
		publishStatus("");
	}

	void routeRefresh(Connection connection, RouteRefreshMessage refresh) {
		this.advertiser.resend(refresh.family());
	}

	/** This neighbour's routes, sorted by prefix. */
	Map<Prefix, RouteAttributes> routes() {
		return this.routes.all();
	}

	/**
	 * Replaces this neighbour's routes: tell it what changed, if the session is up.
	 */
	void advertise(Map<Prefix, RouteAttributes> desired) {
		AdvertisedRoutes.Changes changes = this.routes.replace(desired);
		if (changes.isEmpty()) {
			return;
		}
		this.loop.execute(() -> {
			this.advertiser.changed(changes);
			publishStatus(this.status.lastError());
		});
	}

	void down(Connection connection, String reason) {
		if (this.connections.remove(connection)) {
			this.ribIn.clear();
			this.advertiser.sessionDown();
			logger.info("BGP session with {} down: {}", name(), reason);
		}
		retryLater(reason);
	}

	private void retryLater(String reason) {
		if (this.stopped || !this.connections.isEmpty()) {
			publishStatus(reason);
			return;
		}
		this.idleState = this.config.passive() ? SessionState.ACTIVE : SessionState.IDLE;
		if (!this.config.passive()) {
			this.connectRetry.failed(this::connect);
		}
		publishStatus(reason);
	}

	/**
	 * Ends the neighbour for good: a NOTIFICATION (Cease with a shutdown communication,
	 * RFC 8203) on every connection, or none when {@code notification} is null (a crash
	 * as far as the neighbour can tell, so graceful restart keeps our routes there).
	 */
	Future<Void> stop(NotificationMessage notification, String reason) {
		Promise<Void> stopped = this.loop.newPromise();
		this.loop.execute(() -> {
			this.stopped = true;
			this.connectRetry.cancel();
			PromiseCombiner closes = new PromiseCombiner(this.loop);
			for (Connection connection : this.connections.all()) {
				closes.add(connection.channel().closeFuture());
				if (notification != null) {
					connection.fsm().stop(notification, reason);
				}
				else {
					connection.channel().close();
				}
			}
			this.idleState = SessionState.IDLE;
			publishStatus(reason);
			closes.finish(stopped);
		});
		return stopped;
	}

	private void publishStatus(String lastError) {
		SessionState state = this.connections.state(this.idleState);
		Connection established = this.connections.established();
		boolean up = established != null;
		Duration uptime = up ? Duration.ofNanos(System.nanoTime() - this.establishedAtNanos) : Duration.ZERO;
		Set<AddressFamily> families = up ? established.fsm().negotiated().families() : Set.of();
		Map<AddressFamily, Integer> advertised = up ? this.advertiser.counts() : new EnumMap<>(AddressFamily.class);
		this.status = new PeerStatus(name(), this.local.localAsn(), this.config.peerAsn(), state, uptime, families,
				this.ribIn.counts(), advertised, lastError);
	}

}
