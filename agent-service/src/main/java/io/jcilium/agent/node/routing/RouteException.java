package io.jcilium.agent.node.routing;

/**
 * A route or the overlay device could not be read, installed or removed; the message says
 * which and why.
 */
public class RouteException extends RuntimeException {

	public RouteException(String message) {
		super(message);
	}

	public RouteException(String message, Throwable cause) {
		super(message, cause);
	}

}
