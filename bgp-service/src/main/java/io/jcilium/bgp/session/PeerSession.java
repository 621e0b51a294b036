package io.jcilium.bgp.session;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.jcilium.bgp.fsm.LocalSpeaker;
import io.jcilium.bgp.fsm.Negotiated;
import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.rib.AdjRibIn;
import io.jcilium.bgp.rib.AdvertisedRoutes;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.BgpError;
import io.jcilium.bgp.wire.NotificationMessage;
import io.jcilium.bgp.wire.OpenMessage;
import io.jcilium.bgp.wire.RouteRefreshMessage;
import io.jcilium.bgp.wire.UpdateMessage;
import io.jcilium.jobs.Backoff;
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

	private final AdvertisedRoutes routes;

	private final Backoff backoff;

	private final AdjRibIn ribIn = new AdjRibIn();

	private final PeerAdvertiser advertiser;

	private Connection outgoing;

	private Connection incoming;

	private Connection established;

	private SessionState idleState = SessionState.IDLE;

	private int failuresInARow;

	private ScheduledFuture<?> retry;

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
		this.routes = routes;
		this.backoff = Backoff.exponential(Duration.ofSeconds(config.connectRetrySeconds()),
				Duration.ofSeconds(Math.max(config.connectRetrySeconds(), NeighbourConfig.MAX_CONNECT_RETRY_SECONDS)));
		this.advertiser = new PeerAdvertiser(local.localAsn(), config, routes);
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
		if (this.stopped || this.outgoing != null || this.established != null) {
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
			this.outgoing = connection;
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
			if (this.incoming != null && this.incoming != this.established) {
				// The neighbour gave up on its previous attempt: that socket is stale.
				this.incoming.channel().close();
			}
			this.incoming = connection;
		});
		return connection;
	}

	/** RFC 4271 section 6.8, and RFC 4724 section 4.2 for a neighbour that restarted. */
	boolean openReceived(Connection connection, OpenMessage open) {
		Connection other = (connection == this.outgoing) ? this.incoming : this.outgoing;
		if (other == null || other.fsm().state() == SessionState.IDLE) {
			return true;
		}
		if (other.fsm().state() == SessionState.ESTABLISHED) {
			if (open.capabilities().gracefulRestart() == null) {
				return false;
			}
			other.channel().close();
			return true;
		}
		if (other.fsm().state() != SessionState.OPEN_CONFIRM) {
			return true;
		}
		boolean localLower = this.local.bgpIdentifier() < open.bgpIdentifier();
		Connection loser = localLower ? this.outgoing : this.incoming;
		if (loser == connection) {
			return false;
		}
		loser.fsm()
			.stop(NotificationMessage.of(BgpError.CEASE_CONNECTION_COLLISION_RESOLUTION),
					"lost a connection collision");
		return true;
	}

	void established(Connection connection, Negotiated negotiated) {
		this.established = connection;
		this.failuresInARow = 0;
		this.establishedAtNanos = System.nanoTime();
		cancelRetry();
		logger.info("BGP session with {} (AS {}) established, families {}", name(), this.config.peerAsn(),
				negotiated.families());
		this.advertiser.sessionUp(connection, negotiated, (InetSocketAddress) connection.channel().localAddress());
		publishStatus("");
	}

	void update(UpdateMessage update) {
		this.ribIn.apply(update);
		publishStatus("");
	}

	void routeRefresh(Connection connection, RouteRefreshMessage refresh) {
		this.advertiser.resend(refresh.family());
	}

	/** Our routes changed: tell the neighbour, if the session is up. */
	void advertise(AdvertisedRoutes.Changes changes) {
		this.loop.execute(() -> {
			this.advertiser.changed(changes);
			publishStatus(this.status.lastError());
		});
	}

	void down(Connection connection, String reason) {
		if (connection == this.established) {
			this.established = null;
			this.ribIn.clear();
			this.advertiser.sessionDown();
			logger.info("BGP session with {} down: {}", name(), reason);
		}
		if (connection == this.outgoing) {
			this.outgoing = null;
		}
		if (connection == this.incoming) {
			this.incoming = null;
		}
		retryLater(reason);
	}

	private void retryLater(String reason) {
		if (this.stopped || this.outgoing != null || this.incoming != null) {
			publishStatus(reason);
			return;
		}
		this.failuresInARow++;
		this.idleState = this.config.passive() ? SessionState.ACTIVE : SessionState.IDLE;
		if (!this.config.passive()) {
			Duration delay = this.backoff.delay(this.failuresInARow, ThreadLocalRandom.current());
			cancelRetry();
			this.retry = this.loop.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
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
			cancelRetry();
			PromiseCombiner closes = new PromiseCombiner(this.loop);
			for (Connection connection : new Connection[] { this.outgoing, this.incoming }) {
				if (connection == null) {
					continue;
				}
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

	private void cancelRetry() {
		if (this.retry != null) {
			this.retry.cancel(false);
			this.retry = null;
		}
	}

	private void publishStatus(String lastError) {
		SessionState state = this.idleState;
		for (Connection connection : new Connection[] { this.outgoing, this.incoming }) {
			if (connection != null && connection.fsm().state().compareTo(state) > 0) {
				state = connection.fsm().state();
			}
		}
		boolean up = this.established != null;
		Duration uptime = up ? Duration.ofNanos(System.nanoTime() - this.establishedAtNanos) : Duration.ZERO;
		Set<AddressFamily> families = up ? this.established.fsm().negotiated().families() : Set.of();
		Map<AddressFamily, Integer> advertised = up ? this.advertiser.counts() : new EnumMap<>(AddressFamily.class);
		this.status = new PeerStatus(name(), this.local.localAsn(), this.config.peerAsn(), state, uptime, families,
				this.ribIn.counts(), advertised, lastError);
	}

}
