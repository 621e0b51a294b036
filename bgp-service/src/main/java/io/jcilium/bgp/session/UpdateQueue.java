package io.jcilium.bgp.session;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.jcilium.bgp.wire.BgpCodec;
import io.jcilium.bgp.wire.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * The UPDATEs on their way to one established neighbour, in the order they were queued.
 * They are encoded a batch at a time, each batch written and flushed at once, and only
 * while the channel is writable (its outbound buffer below Netty's high water mark): a
 * large table reaches the neighbour from its first batch on, while later batches are
 * still being encoded, and no more of it sits encoded in our memory than the socket
 * cannot take yet. {@link #pump()} carries on when the channel becomes writable again.
 * <p>
 * Every UPDATE of a session goes through here, so a change queued while the initial table
 * is still going out follows the table, never overtakes it. Confined to the peer's event
 * loop.
 */
final class UpdateQueue {

	/**
	 * Bytes encoded into one buffer before it is written: eight full UPDATEs, a few
	 * segments on the wire, one system call.
	 */
	static final int BATCH_BYTES = 32 * 1024;

	private final Connection connection;

	private final Deque<UpdateMessage> pending = new ArrayDeque<>();

	UpdateQueue(Connection connection) {
		this.connection = connection;
	}

	/** Queues UPDATEs behind those still waiting, and writes what the socket takes. */
	void send(List<UpdateMessage> updates) {
		this.pending.addAll(updates);
		pump();
	}

	/** Writes batches while the channel is writable. */
	void pump() {
		Channel channel = this.connection.channel();
		while (!this.pending.isEmpty() && channel.isActive() && channel.isWritable()) {
			ByteBuf batch = channel.alloc().buffer(BATCH_BYTES + BgpCodec.MAX_MESSAGE_BYTES);
			try {
				while (!this.pending.isEmpty() && batch.readableBytes() < BATCH_BYTES) {
					BgpCodec.write(this.pending.poll(), this.connection.options(), batch);
				}
			}
			catch (RuntimeException ex) {
				batch.release();
				throw ex;
			}
			channel.writeAndFlush(batch, channel.voidPromise());
		}
	}

}
