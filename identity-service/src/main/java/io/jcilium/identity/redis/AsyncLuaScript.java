package io.jcilium.identity.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;

/**
 * A Lua script run without blocking: EVALSHA on the connection factory's shared Lettuce
 * connection, the reply completing a future on Lettuce's event loop. When Redis has lost
 * its script cache (it restarted), the script text goes once with EVAL, which caches it
 * again. Failures are Spring's {@link DataAccessException}s, as from a template, so the
 * circuit breaker and retry treat both paths alike.
 */
final class AsyncLuaScript {

	private static final LettuceExceptionConverter EXCEPTIONS = new LettuceExceptionConverter();

	private final RedisConnectionFactory connectionFactory;

	private final byte[] text;

	private final String sha1;

	private final ReplicaAcks replicaAcks;

	/** Connects when there is no open connection; its thread ends when idle. */
	private final Executor connector = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
			(runnable) -> {
				Thread thread = new Thread(runnable, "identity-redis-connect");
				thread.setDaemon(true);
				return thread;
			});

	/**
	 * The factory's shared native connection, kept while open: taking it from the factory
	 * on every call takes the factory's lock.
	 */
	private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;

	AsyncLuaScript(RedisConnectionFactory connectionFactory, String text) {
		this(connectionFactory, text, ReplicaAcks.NONE);
	}

	/**
	 * @param replicaAcks how many replicas must hold the script's writes before its reply
	 * counts
	 */
	AsyncLuaScript(RedisConnectionFactory connectionFactory, String text, ReplicaAcks replicaAcks) {
		this.connectionFactory = connectionFactory;
		this.replicaAcks = replicaAcks;
		this.text = text.getBytes(StandardCharsets.UTF_8);
		this.sha1 = sha1(this.text);
	}

	/** Runs the script; the reply is a list of numbers and byte arrays. */
	CompletableFuture<List<Object>> run(byte[][] keys, String... args) {
		byte[][] values = bytes(args);
		RedisClusterAsyncCommands<byte[], byte[]> current = this.commands;
		if (current != null && current.isOpen()) {
			return run(current, keys, values);
		}
		// Taking the connection from the factory can mean connecting, which waits for an
		// event loop; callers run on one (the gRPC server and Lettuce share it), and one
		// waiting for itself would hang every call until the connect timeout. So that
		// happens on a thread of its own, and only while there is no open connection.
		CompletableFuture<List<Object>> result = new CompletableFuture<>();
		this.connector.execute(() -> {
			RedisClusterAsyncCommands<byte[], byte[]> connected;
			try {
				connected = commands();
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(translate(ex));
				return;
			}
			this.commands = connected;
			run(connected, keys, values).whenComplete((reply, error) -> complete(result, reply, error));
		});
		return result;
	}

	private CompletableFuture<List<Object>> run(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[][] keys,
			byte[][] values) {
		CompletableFuture<List<Object>> result = new CompletableFuture<>();
		commands.<List<Object>>evalsha(this.sha1, ScriptOutputType.MULTI, keys, values).whenComplete((reply, error) -> {
			if (error instanceof RedisNoScriptException) {
				commands.<List<Object>>eval(this.text, ScriptOutputType.MULTI, keys, values)
					.whenComplete((evalReply, evalError) -> complete(result, evalReply, evalError));
			}
			else {
				complete(result, reply, error);
			}
		});
		return (this.replicaAcks.replicas() > 0) ? result.thenCompose((reply) -> replicated(commands, reply)) : result;
	}

	/**
	 * The reply once the replicas hold the write. Redis replicates asynchronously, so a
	 * primary that fails over right after answering takes the write with it; a number it
	 * handed out would then be handed out again by the promoted replica. WAIT on the same
	 * connection covers every write sent on it before.
	 */
	private CompletableFuture<List<Object>> replicated(RedisClusterAsyncCommands<byte[], byte[]> commands,
			List<Object> reply) {
		int wanted = this.replicaAcks.replicas();
		long timeoutMillis = this.replicaAcks.timeout().toMillis();
		CompletableFuture<List<Object>> result = new CompletableFuture<>();
		commands.waitForReplication(wanted, timeoutMillis).whenComplete((acknowledged, error) -> {
			if (error != null) {
				result.completeExceptionally(translate(error));
			}
			else if (acknowledged < wanted) {
				result.completeExceptionally(new RedisSystemException("the write reached " + acknowledged + " of "
						+ wanted + " replicas within " + timeoutMillis + " ms (jcilium.identity.redis.replicas-to-ack):"
						+ " not acknowledged, since a failover now could lose it", null));
			}
			else {
				result.complete(reply);
			}
		});
		return result;
	}

	@SuppressWarnings("unchecked")
	private RedisClusterAsyncCommands<byte[], byte[]> commands() {
		// The factory hands out its one shared native connection (Lettuce multiplexes
		// every caller on it); the wrapper around it holds nothing to release.
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
		}
	}

	private static void complete(CompletableFuture<List<Object>> result, List<Object> reply, Throwable error) {
		if (error != null) {
			result.completeExceptionally(translate(error));
		}
		else {
			result.complete(reply);
		}
	}

	private static RuntimeException translate(Throwable error) {
		if (error instanceof DataAccessException dataAccess) {
			return dataAccess;
		}
		DataAccessException translated = (error instanceof Exception ex) ? EXCEPTIONS.convert(ex) : null;
		return (translated != null) ? translated : new RedisSystemException(error.getMessage(), error);
	}

	static byte[][] bytes(String... values) {
		byte[][] bytes = new byte[values.length][];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = values[i].getBytes(StandardCharsets.UTF_8);
		}
		return bytes;
	}

	private static String sha1(byte[] text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is missing from this JVM", ex);
		}
	}

}
