package io.jcilium.identity.allocation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Bridges the asynchronous allocation path to callers that wait, keeping the exceptions
 * callers and status mapping know ({@link IdentityStoreUnavailableException} and the
 * like) instead of the wrappers futures put around them.
 */
public final class Futures {

	private Futures() {
	}

	/** Waits for the stage and returns its value or throws its own exception. */
	public static <T> T join(CompletionStage<T> stage) {
		try {
			return stage.toCompletableFuture().join();
		}
		catch (CompletionException ex) {
			throw unwrap(ex);
		}
	}

	/** The exception a stage failed with, without the wrappers. */
	public static RuntimeException unwrap(Throwable error) {
		Throwable cause = error;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		if (cause instanceof Error fatal) {
			throw fatal;
		}
		return new IllegalStateException(cause.getMessage(), cause);
	}

	/** A stage that runs the call now and fails with what it throws. */
	static <T> CompletionStage<T> of(Supplier<T> call) {
		try {
			return CompletableFuture.completedFuture(call.get());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

}
