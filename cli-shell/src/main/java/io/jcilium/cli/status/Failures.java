package io.jcilium.cli.status;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * Says in a few words why a service could not be reached, whichever client failed.
 */
final class Failures {

	private Failures() {
	}

	static String unreachable(Throwable failure, Duration timeout) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException && !(cause.getCause() instanceof UnresolvedAddressException)
					&& messageContains(cause, "refused")) {
				return "unreachable: connection refused";
			}
			if (cause instanceof HttpTimeoutException) {
				return "unreachable: no answer within " + timeout.toMillis() + " ms";
			}
			if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
				return "unreachable: unknown host";
			}
			if (cause instanceof NoRouteToHostException) {
				return "unreachable: no route to host";
			}
		}
		String message = failure.getMessage();
		return "unreachable: " + ((message != null) ? message : failure.getClass().getSimpleName());
	}

	private static boolean messageContains(Throwable failure, String word) {
		// The JDK's HTTP client throws a bare ConnectException for a refused connection;
		// Netty (gRPC) says "Connection refused" with the address.
		return failure.getMessage() == null || failure.getMessage().toLowerCase().contains(word);
	}

}
