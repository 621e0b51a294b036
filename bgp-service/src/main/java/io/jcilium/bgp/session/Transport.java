package io.jcilium.bgp.session;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;

/**
 * The sockets under the sessions: Linux epoll where it is available, since two things BGP
 * asks of TCP have no Java API: the TCP MD5 signature option (RFC 2385, the kernel's
 * {@code TCP_MD5SIG}) and the IP TTL of the session's packets (eBGP single hop and
 * multihop, {@code IP_TTL}/{@code IPV6_UNICAST_HOPS}). Elsewhere NIO, which refuses a
 * neighbour that needs either.
 */
final class Transport {

	static final boolean EPOLL = Epoll.isAvailable();

	/** {@code IPPROTO_IP}, {@code IP_TTL} from {@code <netinet/in.h>}. */
	private static final IntegerUnixChannelOption IP_TTL = new IntegerUnixChannelOption("IP_TTL", 0, 2);

	/** {@code IPPROTO_IPV6}, {@code IPV6_UNICAST_HOPS}. */
	private static final IntegerUnixChannelOption IPV6_UNICAST_HOPS = new IntegerUnixChannelOption("IPV6_UNICAST_HOPS",
			41, 16);

	private Transport() {
	}

	static IoHandlerFactory ioHandlerFactory() {
		return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
	}

	static Class<? extends ServerChannel> serverChannel() {
		return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
	}

	static Class<? extends SocketChannel> channel() {
		return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
	}

	/**
	 * Refuses a neighbour whose socket options this platform cannot set, rather than
	 * running a session without the signature or TTL that was asked for.
	 */
	static void check(NeighbourConfig neighbour) {
		if (!EPOLL && (neighbour.md5Password() != null || neighbour.ttl() != 0)) {
			throw new IllegalArgumentException("neighbour " + neighbour.name()
					+ " needs TCP MD5 or an IP TTL, which need Linux epoll: " + Epoll.unavailabilityCause());
		}
	}

	/** The MD5 key and TTL of an active open, set before the SYN goes out. */
	static void configure(Bootstrap bootstrap, NeighbourConfig neighbour) {
		if (neighbour.md5Password() != null) {
			bootstrap.option(EpollChannelOption.TCP_MD5SIG, Map.of(neighbour.address(), key(neighbour)));
		}
		if (neighbour.ttl() != 0) {
			bootstrap.option(ttlOption(neighbour.address()), neighbour.ttl());
		}
	}

	/** The TTL of a passively opened connection, set as it is accepted. */
	static void configureAccepted(Channel channel, NeighbourConfig neighbour) {
		if (neighbour.ttl() != 0) {
			channel.config().setOption(ttlOption(neighbour.address()), neighbour.ttl());
		}
	}

	/**
	 * Gives the listening socket the keys of every neighbour that has one: the kernel
	 * then drops a segment from such a neighbour without the right signature before it
	 * reaches us (RFC 2385 section 2.0).
	 */
	static void setListenerKeys(Channel listener, Iterable<NeighbourConfig> neighbours) {
		if (!EPOLL || listener == null) {
			return;
		}
		Map<InetAddress, byte[]> keys = new HashMap<>();
		for (NeighbourConfig neighbour : neighbours) {
			if (neighbour.md5Password() != null) {
				keys.put(neighbour.address(), key(neighbour));
			}
		}
		listener.config().setOption(EpollChannelOption.TCP_MD5SIG, keys);
	}

	private static byte[] key(NeighbourConfig neighbour) {
		return neighbour.md5Password().getBytes(StandardCharsets.UTF_8);
	}

	private static IntegerUnixChannelOption ttlOption(InetAddress address) {
		return (address instanceof Inet4Address) ? IP_TTL : IPV6_UNICAST_HOPS;
	}

}
