package io.jcilium.agent.node.routing;

/** A route could not be read, installed or removed; the message says which and why. */
class RouteException extends RuntimeException {

	RouteException(String message) {
		super(message);
	}

	RouteException(String message, Throwable cause) {
		super(message, cause);
	}

}
