package io.jcilium.identity.redis;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The asynchronous script runner against a real Redis. It must not go back to the
 * connection factory once it has the shared connection: batches are sent from reply
 * callbacks on Lettuce's event loop, and the factory's lock can be held by a thread that
 * waits for a connect on that same event loop (the reactive Redis health check did, and
 * every allocation hung until the service stopped).
 */
class AsyncLuaScriptIT {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private LettuceConnectionFactory connectionFactory;

	private final AtomicInteger factoryCalls = new AtomicInteger();

	@BeforeEach
	void connect() {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redisServer.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Test
	void asksTheFactoryForTheConnectionOnceAndNotOnEveryRun() throws Exception {
		AsyncLuaScript script = new AsyncLuaScript(counting(this.connectionFactory), "return {tonumber(ARGV[1]) + 1}");

		for (int i = 0; i < 5; i++) {
			List<Object> reply = script.run(new byte[0][], Integer.toString(i)).get(10, TimeUnit.SECONDS);
			assertThat(reply).containsExactly((long) i + 1);
		}
		// The next run from the reply's callback, as the allocation batches send theirs.
		List<Object> chained = script.run(new byte[0][], "10")
			.thenCompose((reply) -> script.run(new byte[0][], reply.get(0).toString()))
			.get(10, TimeUnit.SECONDS);

		assertThat(chained).containsExactly(12L);
		assertThat(this.factoryCalls).hasValue(1);
	}

	private RedisConnectionFactory counting(RedisConnectionFactory delegate) {
		return new RedisConnectionFactory() {

			@Override
			public RedisConnection getConnection() {
				AsyncLuaScriptIT.this.factoryCalls.incrementAndGet();
				return delegate.getConnection();
			}

			@Override
			public RedisClusterConnection getClusterConnection() {
				return delegate.getClusterConnection();
			}

			@Override
			public boolean getConvertPipelineAndTxResults() {
				return delegate.getConvertPipelineAndTxResults();
			}

			@Override
			public RedisSentinelConnection getSentinelConnection() {
				return delegate.getSentinelConnection();
			}

			@Override
			public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
				return delegate.translateExceptionIfPossible(ex);
			}

		};
	}

}
