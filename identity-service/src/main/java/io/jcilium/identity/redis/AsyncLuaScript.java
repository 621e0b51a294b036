package io.jcilium.identity.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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

	private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;

	AsyncLuaScript(RedisConnectionFactory connectionFactory, String text) {
		this.connectionFactory = connectionFactory;
		this.text = text.getBytes(StandardCharsets.UTF_8);
		this.sha1 = sha1(this.text);
	}

	/** Runs the script; the reply is a list of numbers and byte arrays. */
	CompletableFuture<List<Object>> run(byte[][] keys, String... args) {
		byte[][] values = bytes(args);
		RedisClusterAsyncCommands<byte[], byte[]> commands;
		try {
			commands = commands();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(translate(ex));
		}
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
		return result;
	}

	/**
	 * The factory's one shared native connection (Lettuce multiplexes every caller on it
	 * and reconnects it by itself), asked for once and kept. Asking the factory on every
	 * run deadlocked: the next batch is sent from the reply's callback on a Lettuce event
	 * loop thread, and the factory guards all its shared connections with one lock, which
	 * the reactive health check holds while it connects, a connect that needs that same
	 * event loop.
	 */
	@SuppressWarnings("unchecked")
	private RedisClusterAsyncCommands<byte[], byte[]> commands() {
		RedisClusterAsyncCommands<byte[], byte[]> current = this.commands;
		if (current == null) {
			// The wrapper around the shared connection holds nothing to release.
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				current = (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
			}
			this.commands = current;
		}
		return current;
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
