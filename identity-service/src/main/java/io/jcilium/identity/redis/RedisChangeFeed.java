package io.jcilium.identity.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.jcilium.identity.allocation.IdentityStore.IdentityChange;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Follows the change channel on a Lettuce pub/sub connection of its own. Lettuce
 * reconnects and re-subscribes by itself after an outage, and delivers messages in
 * publish order on one thread. (Spring's listener container refuses to start while Redis
 * is down, which would stop the service from starting at all.) Messages missed while
 * disconnected are made up by the allocator's periodic revision check.
 */
final class RedisChangeFeed implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RedisChangeFeed.class);

	private static final long RETRY_MILLIS = 1000;

	private final LettuceConnectionFactory connectionFactory;

	private final String channel;

	private final List<Consumer<IdentityChange>> listeners = new CopyOnWriteArrayList<>();

	private ScheduledExecutorService executor;

	private StatefulRedisPubSubConnection<String, String> connection;

	private boolean failing;

	RedisChangeFeed(LettuceConnectionFactory connectionFactory, String channel) {
		this.connectionFactory = connectionFactory;
		this.channel = channel;
	}

	void addListener(Consumer<IdentityChange> listener) {
		this.listeners.add(listener);
	}

	@Override
	public synchronized void start() {
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "identity-change-feed");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.execute(this::connect);
	}

	private synchronized void connect() {
		if (this.executor == null) {
			return;
		}
		AbstractRedisClient client;
		try {
			client = this.connectionFactory.getRequiredNativeClient();
		}
		catch (IllegalStateException ex) {
			this.executor.schedule(this::connect, RETRY_MILLIS, TimeUnit.MILLISECONDS);
			return;
		}
		if (!(client instanceof RedisClient redisClient)) {
			logger.error(
					"The identity change feed needs a standalone or Sentinel Redis, not {}; replicas' caches "
							+ "follow other replicas only through the periodic revision check",
					client.getClass().getName());
			return;
		}
		try {
			StatefulRedisPubSubConnection<String, String> pubSub = redisClient.connectPubSub(StringCodec.UTF8);
			pubSub.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(String channel, String message) {
					deliver(message);
				}

			});
			pubSub.sync().subscribe(this.channel);
			this.connection = pubSub;
			if (this.failing) {
				logger.info("Identity change feed connected");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn("Identity change feed cannot connect, retrying every {} ms: {}", RETRY_MILLIS,
						ex.getMessage());
				this.failing = true;
			}
			this.executor.schedule(this::connect, RETRY_MILLIS, TimeUnit.MILLISECONDS);
		}
	}

	private void deliver(String message) {
		for (IdentityChange change : ChangeMessages.decodeAll(message)) {
			this.listeners.forEach((listener) -> listener.accept(change));
		}
	}

	boolean isSubscribed() {
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		return current != null && current.isOpen();
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
		if (this.connection != null) {
			this.connection.close();
			this.connection = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
