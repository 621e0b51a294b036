package io.jcilium.identity.eventloop;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.grpc.ServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * One Netty event loop group, native epoll where the kernel has it, for the gRPC server
 * and Lettuce: an Allocate call arrives, goes to Redis and is answered on one thread.
 * With separate groups every call crossed threads twice (gRPC to Lettuce, Lettuce back to
 * gRPC), which on a small machine cost more CPU than the allocation itself.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventLoopProperties.class)
class SharedEventLoopConfiguration {

	@Bean(destroyMethod = "")
	EventLoopGroup identityEventLoopGroup(EventLoopProperties properties) {
		ThreadFactory threads = new DefaultThreadFactory("identity-io", true);
		IoHandlerFactory handler = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		return new MultiThreadIoEventLoopGroup(properties.effectiveThreads(), threads, handler);
	}

	@Bean
	SharedEventLoopShutdown identityEventLoopShutdown(EventLoopGroup identityEventLoopGroup) {
		return new SharedEventLoopShutdown(identityEventLoopGroup);
	}

	@Bean
	<T extends ServerBuilder<T>> ServerBuilderCustomizer<T> identityGrpcSharedEventLoop(
			EventLoopGroup identityEventLoopGroup) {
		Class<? extends ServerChannel> channelType = Epoll.isAvailable() ? EpollServerSocketChannel.class
				: NioServerSocketChannel.class;
		return (builder) -> {
			if (builder instanceof NettyServerBuilder netty) {
				netty.bossEventLoopGroup(identityEventLoopGroup)
					.workerEventLoopGroup(identityEventLoopGroup)
					.channelType(channelType);
			}
		};
	}

	@Bean
	ClientResourcesBuilderCustomizer identityLettuceSharedEventLoop(EventLoopGroup identityEventLoopGroup,
			EventLoopProperties properties) {
		return (builder) -> builder
			.eventLoopGroupProvider(new SharedEventLoopProvider(identityEventLoopGroup, properties.effectiveThreads()));
	}

	/**
	 * Shuts the group down last of all that stops with the context: after the gRPC server
	 * and the Redis connections, which still write to it while they close.
	 */
	static final class SharedEventLoopShutdown implements SmartLifecycle {

		private final EventLoopGroup group;

		private volatile boolean running;

		SharedEventLoopShutdown(EventLoopGroup group) {
			this.group = group;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
			this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return Integer.MIN_VALUE;
		}

	}

}
