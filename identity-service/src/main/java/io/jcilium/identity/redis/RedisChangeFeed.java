package io.jcilium.identity.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import java.util.function.Consumer;

import io.jcilium.identity.allocation.IdentityStore.IdentityChange;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
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
 * disconnected are made up by the allocator's periodic revision check. Until the first
 * subscription succeeds, a job retries it with backoff.
 */
final class RedisChangeFeed implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RedisChangeFeed.class);

	private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(5));

	private final LettuceConnectionFactory connectionFactory;

	private final String channel;

	private final List<Consumer<IdentityChange>> listeners = new CopyOnWriteArrayList<>();

	private final Jobs jobs = new Jobs("identity-change-feed", 1);

	private final Job subscribe;

	// Written under this; read without it by isSubscribed().
	private volatile StatefulRedisPubSubConnection<String, String> connection;

	// Guarded by this.
	private boolean running;

	RedisChangeFeed(LettuceConnectionFactory connectionFactory, String channel) {
		this.connectionFactory = connectionFactory;
		this.channel = channel;
		this.subscribe = this.jobs.retryUntilSuccess("identity-change-feed", BACKOFF, this::connect);
	}

	void addListener(Consumer<IdentityChange> listener) {
		this.listeners.add(listener);
	}

	@Override
	public synchronized void start() {
		this.running = true;
		this.subscribe.start();
	}

	/**
	 * One attempt to subscribe; throws (so the job retries) while Redis cannot be
	 * reached.
	 */
	private synchronized void connect() {
		if (!this.running) {
			return;
		}
		// Throws IllegalStateException until the connection factory has started.
		AbstractRedisClient client = this.connectionFactory.getRequiredNativeClient();
		// On Redis Cluster a PUBLISH reaches every node, so one subscription on any node
		// hears every replica's changes.
		StatefulRedisPubSubConnection<String, String> pubSub;
		if (client instanceof RedisClient redisClient) {
			pubSub = redisClient.connectPubSub(StringCodec.UTF8);
		}
		else if (client instanceof RedisClusterClient clusterClient) {
			pubSub = clusterClient.connectPubSub(StringCodec.UTF8);
		}
		else {
			logger.error("The identity change feed cannot subscribe through a {}; replicas' caches follow other "
					+ "replicas only through the periodic revision check", client.getClass().getName());
			return;
		}
		try {
			pubSub.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(String channel, String message) {
					deliver(message);
				}

			});
			pubSub.sync().subscribe(this.channel);
		}
		catch (RuntimeException ex) {
			pubSub.close();
			throw ex;
		}
		this.connection = pubSub;
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
		this.running = false;
		this.subscribe.stop();
		if (this.connection != null) {
			this.connection.close();
			this.connection = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

}
