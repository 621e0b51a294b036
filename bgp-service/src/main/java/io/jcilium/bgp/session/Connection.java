package io.jcilium.bgp.session;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.jcilium.bgp.fsm.ConnectionActions;
import io.jcilium.bgp.fsm.ConnectionFsm;
import io.jcilium.bgp.fsm.Negotiated;
import io.jcilium.bgp.wire.BgpCodec;
import io.jcilium.bgp.wire.BgpMessage;
import io.jcilium.bgp.wire.BgpProtocolException;
import io.jcilium.bgp.wire.OpenMessage;
import io.jcilium.bgp.wire.RouteRefreshMessage;
import io.jcilium.bgp.wire.SessionCodecOptions;
import io.jcilium.bgp.wire.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a neighbour: the Netty handler that feeds its
 * {@link ConnectionFsm} and carries out what the state machine asks. Every event is
 * handed to the peer's event loop, so a peer's state is only ever touched by one thread.
 */
final class Connection extends ChannelInboundHandlerAdapter implements ConnectionActions {

	private static final Logger logger = LoggerFactory.getLogger(Connection.class);

	private final PeerSession peer;

	private final EventLoop loop;

	private final Channel channel;

	private final boolean outgoing;

	private final ConnectionFsm fsm;

	private SessionCodecOptions options = SessionCodecOptions.BEFORE_OPEN;

	private ScheduledFuture<?> holdTimer;

	private ScheduledFuture<?> keepaliveTimer;

	Connection(PeerSession peer, Channel channel, boolean outgoing) {
		this.peer = peer;
		this.loop = peer.loop();
		this.channel = channel;
		this.outgoing = outgoing;
		this.fsm = new ConnectionFsm(peer.localSpeaker(), this);
	}

	ConnectionFsm fsm() {
		return this.fsm;
	}

	boolean outgoing() {
		return this.outgoing;
	}

	Channel channel() {
		return this.channel;
	}

	SessionCodecOptions options() {
		return this.options;
	}

	@Override
	public void channelActive(ChannelHandlerContext context) {
		onPeerLoop(this.fsm::connected);
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (!onPeerLoop(() -> read(message)) && message instanceof ByteBuf frame) {
			frame.release();
		}
	}

	/** Hands an event to the peer's loop, unless the speaker is stopping. */
	private boolean onPeerLoop(Runnable event) {
		if (this.loop.isShuttingDown()) {
			return false;
		}
		try {
			this.loop.execute(event);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	private void read(Object message) {
		if (message instanceof BgpFrameDecoder.FrameError frameError) {
			this.fsm.malformed(frameError.error().notification(), frameError.error().detail());
			return;
		}
		ByteBuf frame = (ByteBuf) message;
		try {
			this.fsm.received(BgpCodec.read(frame, this.options));
		}
		catch (BgpProtocolException ex) {
			this.fsm.malformed(ex.notification(), ex.detail());
		}
		finally {
			frame.release();
		}
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext context) {
		if (this.channel.isWritable()) {
			onPeerLoop(() -> this.peer.writable(this));
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		onPeerLoop(this.fsm::transportClosed);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		logger.info("BGP connection to {} failed: {}", this.peer.name(), cause.toString());
		context.close();
	}

	@Override
	public void send(BgpMessage message) {
		this.channel.writeAndFlush(encode(message));
	}

	private ByteBuf encode(BgpMessage message) {
		ByteBuf buffer = this.channel.alloc().buffer();
		BgpCodec.write(message, this.options, buffer);
		return buffer;
	}

	@Override
	public void close() {
		this.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
	}

	@Override
	public void armHoldTimer(int seconds) {
		cancel(this.holdTimer);
		this.holdTimer = (seconds > 0) ? this.loop.schedule(this.fsm::holdTimerExpired, seconds, TimeUnit.SECONDS)
				: null;
	}

	@Override
	public void armKeepaliveTimer(int seconds) {
		cancel(this.keepaliveTimer);
		this.keepaliveTimer = (seconds > 0)
				? this.loop.schedule(this.fsm::keepaliveTimerExpired, seconds, TimeUnit.SECONDS) : null;
	}

	private static void cancel(ScheduledFuture<?> timer) {
		if (timer != null) {
			timer.cancel(false);
		}
	}

	@Override
	public boolean openReceived(OpenMessage open) {
		return this.peer.openReceived(this, open);
	}

	@Override
	public void established(Negotiated negotiated) {
		this.options = negotiated.codecOptions();
		this.peer.established(this, negotiated);
	}

	@Override
	public void update(UpdateMessage update) {
		this.peer.update(update);
	}

	@Override
	public void routeRefresh(RouteRefreshMessage refresh) {
		this.peer.routeRefresh(this, refresh);
	}

	@Override
	public void down(String reason, boolean withNotification) {
		this.peer.down(this, reason);
	}

}
