package io.jcilium.cli.status;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Says in a few words why a service could not be reached, whichever client failed. The
 * telling exception sits somewhere in the cause chain, and clients wrap differently: the
 * JDK's HTTP client throws a bare {@link ConnectException} around an
 * {@link UnresolvedAddressException} for an unknown host, Netty (gRPC) says "Connection
 * refused" with the address.
 */
final class Failures {

	private Failures() {
	}

	/**
	 * The message of an error as actuator shows it ({@code fully.qualified.Exception:
	 * message}): the message is what a user needs.
	 */
	static String message(String actuatorError) {
		return actuatorError.replaceFirst("^[\\w.$]+(Exception|Error): ", "");
	}

	static String unreachable(Throwable failure, Duration timeout) {
		List<Throwable> chain = causes(failure);
		if (contains(chain, UnknownHostException.class) || contains(chain, UnresolvedAddressException.class)) {
			return "unreachable: unknown host";
		}
		if (contains(chain, HttpTimeoutException.class)) {
			return "unreachable: no answer within " + timeout.toMillis() + " ms";
		}
		if (contains(chain, NoRouteToHostException.class)) {
			return "unreachable: no route to host";
		}
		for (Throwable cause : chain) {
			if (cause instanceof ConnectException) {
				String message = cause.getMessage();
				// The JDK's HTTP client says nothing at all when the connection is
				// refused.
				if (message == null || message.toLowerCase().contains("refused")) {
					return "unreachable: connection refused";
				}
				return "unreachable: " + message;
			}
		}
		String message = failure.getMessage();
		return "unreachable: " + ((message != null) ? message : failure.getClass().getSimpleName());
	}

	private static List<Throwable> causes(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
			chain.add(cause);
		}
		return chain;
	}

	private static boolean contains(List<Throwable> chain, Class<? extends Throwable> type) {
		return chain.stream().anyMatch(type::isInstance);
	}

}
