package io.jcilium.identity.eventloop;

import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

/**
 * Hands Lettuce the event loop group the gRPC server runs on, so that an allocation's
 * Redis command is written, and its reply completes the gRPC call, on the thread that
 * already holds the call: no hand-off between the server's and Lettuce's threads. Lettuce
 * does not own the group: releasing or shutting down leaves it running (the Spring
 * context shuts it down after both are stopped).
 */
final class SharedEventLoopProvider implements EventLoopGroupProvider {

	private final EventLoopGroup group;

	private final int threads;

	SharedEventLoopProvider(EventLoopGroup group, int threads) {
		this.group = group;
		this.threads = threads;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T extends EventLoopGroup> T allocate(Class<T> type) {
		// Lettuce asks for its transport's group class (epoll or NIO); the shared group
		// runs the same transport, which is all its channels need.
		return (T) this.group;
	}

	@Override
	public int threadPoolSize() {
		return this.threads;
	}

	@Override
	public Future<Boolean> release(EventExecutorGroup eventLoopGroup, long quietPeriod, long timeout, TimeUnit unit) {
		return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
	}

	@Override
	public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit timeUnit) {
		return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
	}

}
