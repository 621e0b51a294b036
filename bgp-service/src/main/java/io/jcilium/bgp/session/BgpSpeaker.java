package io.jcilium.bgp.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.jcilium.bgp.fsm.LocalSpeaker;
import io.jcilium.bgp.rib.AdvertisedRoutes;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.BgpError;
import io.jcilium.bgp.wire.NotificationMessage;
import io.jcilium.bgp.wire.Prefix;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BGP speaker: a listening socket for passive opens, one {@link PeerSession} per
 * neighbour, and each neighbour's routes (its Adj-RIB-Out's source: every neighbour the
 * same ones, or each its own selection), which go to it as they change. Plain Java:
 * Spring wires it, tests construct it.
 */
public final class BgpSpeaker implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(BgpSpeaker.class);

	private static final int CONNECT_TIMEOUT_MILLIS = 5000;

	private static final int STOP_TIMEOUT_MILLIS = 5000;

	private final SpeakerConfig config;

	/**
	 * What {@link #advertise(Map)} last gave every neighbour; a new one starts with it.
	 */
	private volatile Map<Prefix, RouteAttributes> common = Map.of();

	private final Map<InetAddress, PeerSession> peers = new ConcurrentHashMap<>();

	private final EventLoopGroup group;

	private Channel listener;

	public BgpSpeaker(SpeakerConfig config, int threads) {
		this.config = config;
		this.group = new MultiThreadIoEventLoopGroup(threads, Transport.ioHandlerFactory());
	}

	/** Starts listening, when the configuration says where. */
	public void start() throws InterruptedException {
		if (this.config.listenAddress() == null) {
			return;
		}
		ServerBootstrap server = new ServerBootstrap().group(this.group)
			.channel(Transport.serverChannel())
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					PeerSession peer = BgpSpeaker.this.peers.get(channel.remoteAddress().getAddress());
					if (peer == null) {
						// RFC 4271 section 8.2.1: a connection from an unconfigured
						// address is refused.
						logger.info("refused a BGP connection from {}: not a configured neighbour",
								channel.remoteAddress());
						channel.close();
						return;
					}
					Transport.configureAccepted(channel, peer.config());
					channel.pipeline().addLast(new BgpFrameDecoder(), peer.accepted(channel));
				}
			});
		this.listener = server.bind(this.config.listenAddress(), this.config.listenPort()).sync().channel();
		listenerKeys();
		logger.info("BGP speaker AS {} listening on {}", this.config.localAsn(), this.listener.localAddress());
	}

	/** The port the speaker listens on, or -1. */
	public int listenPort() {
		return (this.listener != null) ? ((InetSocketAddress) this.listener.localAddress()).getPort() : -1;
	}

	/**
	 * Adds and starts a neighbour, with the routes every neighbour gets.
	 * @throws IllegalArgumentException when the address is already a neighbour
	 */
	public void addNeighbour(NeighbourConfig neighbour) {
		addNeighbour(neighbour, this.common);
	}

	/**
	 * Adds and starts a neighbour with its own routes.
	 * @param routes what this neighbour gets until {@link #advertise(InetAddress, Map)}
	 * @throws IllegalArgumentException when the address is already a neighbour
	 */
	public void addNeighbour(NeighbourConfig neighbour, Map<Prefix, RouteAttributes> routes) {
		Transport.check(neighbour);
		LocalSpeaker local = new LocalSpeaker(this.config.localAsn(), this.config.bgpIdentifier(), neighbour.peerAsn(),
				neighbour.holdTimeSeconds(), neighbour.families(), neighbour.gracefulRestartSeconds(),
				this.config.restarting(), neighbour.keepaliveSeconds());
		AdvertisedRoutes table = new AdvertisedRoutes();
		table.replace(routes);
		PeerSession peer = new PeerSession(neighbour, local, this.group.next(), this::connect, table);
		if (this.peers.putIfAbsent(neighbour.address(), peer) != null) {
			throw new IllegalArgumentException("neighbour " + neighbour.name() + " is configured twice");
		}
		if (neighbour.md5Password() != null) {
			listenerKeys();
		}
		peer.start();
	}

	/** Removes a neighbour with Cease / Peer De-configured (RFC 4486). */
	public void removeNeighbour(InetAddress address) {
		PeerSession peer = this.peers.remove(address);
		if (peer != null) {
			peer.stop(NotificationMessage.of(BgpError.CEASE_PEER_DECONFIGURED), "neighbour removed");
			if (peer.config().md5Password() != null) {
				listenerKeys();
			}
		}
	}

	/** The listening socket gets the TCP MD5 keys of the neighbours now configured. */
	private void listenerKeys() {
		Transport.setListenerKeys(this.listener, this.peers.values().stream().map(PeerSession::config).toList());
	}

	/**
	 * Replaces the routes of every neighbour; each gets only what changed for it.
	 * @param desired every route to advertise from now on
	 */
	public void advertise(Map<Prefix, RouteAttributes> desired) {
		this.common = Map.copyOf(desired);
		this.peers.values().forEach((peer) -> peer.advertise(desired));
	}

	/**
	 * Replaces the routes of one neighbour (its own advertisement selection); it gets
	 * only what changed.
	 * @param neighbour the neighbour's address
	 * @param desired every route to advertise to it from now on
	 * @throws IllegalArgumentException when the address is not a neighbour
	 */
	public void advertise(InetAddress neighbour, Map<Prefix, RouteAttributes> desired) {
		PeerSession peer = this.peers.get(neighbour);
		if (peer == null) {
			throw new IllegalArgumentException("no neighbour " + neighbour.getHostAddress());
		}
		peer.advertise(desired);
	}

	/**
	 * Every route some neighbour gets (with one neighbour's attributes where two differ),
	 * sorted by prefix.
	 */
	public Map<Prefix, RouteAttributes> advertised() {
		Map<Prefix, RouteAttributes> all = new TreeMap<>(this.common);
		this.peers.values().forEach((peer) -> all.putAll(peer.routes()));
		return all;
	}

	/** The routes each neighbour gets, by neighbour name, each sorted by prefix. */
	public Map<String, Map<Prefix, RouteAttributes>> advertisedByNeighbour() {
		Map<String, Map<Prefix, RouteAttributes>> byNeighbour = new TreeMap<>();
		this.peers.values().forEach((peer) -> byNeighbour.put(peer.name(), peer.routes()));
		return byNeighbour;
	}

	/** Every neighbour's status, by address. */
	public List<PeerStatus> status() {
		return this.peers.values()
			.stream()
			.map(PeerSession::status)
			.sorted((a, b) -> a.peerAddress().compareTo(b.peerAddress()))
			.toList();
	}

	private void connect(PeerSession peer) {
		NeighbourConfig neighbour = peer.config();
		Bootstrap bootstrap = new Bootstrap().group(peer.loop())
			.channel(Transport.channel())
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline().addLast(new BgpFrameDecoder(), peer.connected(channel));
				}
			});
		Transport.configure(bootstrap, neighbour);
		InetSocketAddress remote = new InetSocketAddress(neighbour.address(), neighbour.port());
		ChannelFuture future = (this.config.listenAddress() != null)
				? bootstrap.connect(remote, new InetSocketAddress(this.config.listenAddress(), 0))
				: bootstrap.connect(remote);
		future.addListener((ChannelFuture done) -> {
			if (!done.isSuccess()) {
				peer.connectFailed(String.valueOf(done.cause().getMessage()));
			}
		});
	}

	/**
	 * Stops every session: with Cease / Administrative Shutdown and a shutdown
	 * communication (RFC 8203) when {@code graceful}, else by dropping the connections
	 * without a NOTIFICATION, which neighbours with graceful restart treat as our restart
	 * and bridge by keeping our routes (RFC 4724).
	 */
	public void stop(boolean graceful) {
		NotificationMessage notification = graceful
				? NotificationMessage.shutdown(BgpError.CEASE_ADMINISTRATIVE_SHUTDOWN, "bgp-service is shutting down")
				: null;
		List<Future<Void>> stops = this.peers.values()
			.stream()
			.map((peer) -> peer.stop(notification, "speaker stopped"))
			.toList();
		// The NOTIFICATIONs go out before the event loops that write them stop.
		stops.forEach((stop) -> stop.awaitUninterruptibly(STOP_TIMEOUT_MILLIS));
		if (this.listener != null) {
			this.listener.close();
		}
		this.group.shutdownGracefully(0, STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).awaitUninterruptibly();
	}

	@Override
	public void close() {
		stop(true);
	}

}
