package io.jcilium.api.caller;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The party behind a call to identity-service or ipam-service: a node (its agent) or the
 * operator.
 * <p>
 * With mTLS on, the caller is what the peer's certificate names
 * ({@link CallerCertificate}); over plaintext (a development setting) it is what the
 * client declares in the {@value CallerHeader#NAME} metadata of each call
 * ({@link CallerHeader}), which stops a confused component but not a party that lies
 * about itself. The rules here are the same either way.
 *
 * @param kind what the caller is
 * @param name the node's name for {@link Kind#NODE}, the certificate's common name for
 * {@link Kind#SERVICE}, otherwise empty
 */
public record Caller(Kind kind, String name) {

	/** The caller of the current call, set by {@link CallerInterceptor}. */
	static final Context.Key<Caller> CONTEXT_KEY = Context.key("jcilium-caller");

	/** The host the current call comes from, set by {@link CallerInterceptor}. */
	static final Context.Key<String> REMOTE_HOST_KEY = Context.key("jcilium-caller-host");

	private static final Caller OPERATOR = new Caller(Kind.OPERATOR, "");

	private static final Caller UNKNOWN = new Caller(Kind.UNKNOWN, "");

	private static final int MAX_NODE_NAME_LENGTH = 253;

	public Caller {
		if (kind == Kind.NODE && (name == null || name.isBlank() || name.length() > MAX_NODE_NAME_LENGTH
				|| name.chars().anyMatch(Character::isWhitespace))) {
			throw new IllegalArgumentException(
					"caller node name '" + name + "' is not a node name (non-empty, no whitespace, at most "
							+ MAX_NODE_NAME_LENGTH + " characters)");
		}
		if (kind == Kind.SERVICE && (name == null || name.isBlank())) {
			throw new IllegalArgumentException("a service caller needs the name its certificate carries");
		}
		name = (kind == Kind.NODE || kind == Kind.SERVICE) ? name : "";
	}

	public static Caller node(String name) {
		return new Caller(Kind.NODE, name);
	}

	public static Caller operator() {
		return OPERATOR;
	}

	/**
	 * A component with a certificate of the cluster's CA that is neither a node nor the
	 * operator (relay, console, bgp-service): it may read.
	 * @param commonName the common name its certificate carries
	 */
	public static Caller service(String commonName) {
		return new Caller(Kind.SERVICE, commonName);
	}

	public static Caller unknown() {
		return UNKNOWN;
	}

	/**
	 * The caller of the current gRPC call; unknown outside one or when none was declared.
	 */
	public static Caller current() {
		Caller caller = CONTEXT_KEY.get();
		return (caller != null) ? caller : UNKNOWN;
	}

	/**
	 * What per-caller limits of the current call count against: the declared caller, or
	 * for a caller that declared nothing, the host it calls from.
	 * @return a key, e.g. {@code node/node-a}, {@code operator} or {@code host/10.0.0.7}
	 */
	public static String currentQuotaKey() {
		Caller caller = current();
		if (caller.kind == Kind.SERVICE) {
			return "service/" + caller.name;
		}
		if (caller.kind != Kind.UNKNOWN) {
			return caller.headerValue();
		}
		String host = REMOTE_HOST_KEY.get();
		return "host/" + ((host != null) ? host : "unknown");
	}

	/**
	 * Refuses the call unless this caller may act for the node: the node itself, or the
	 * operator (which allocates and cleans up for every node).
	 * @param node the node the request names
	 * @param what what the request does, for the message
	 * @throws StatusRuntimeException PERMISSION_DENIED naming caller and node
	 */
	public void requireActingFor(String node, String what) {
		if (this.kind == Kind.OPERATOR || (this.kind == Kind.NODE && this.name.equals(node))) {
			return;
		}
		throw denied(
				what + " for node '" + node + "' is allowed only to that node itself or the operator, not to " + this);
	}

	/**
	 * Refuses the call unless the operator makes it.
	 * @param what what the request does, for the message
	 * @throws StatusRuntimeException PERMISSION_DENIED naming the caller
	 */
	public void requireOperator(String what) {
		if (this.kind != Kind.OPERATOR) {
			throw denied(what + " is allowed only to the operator, not to " + this);
		}
	}

	private static StatusRuntimeException denied(String message) {
		return Status.PERMISSION_DENIED.withDescription(message).asRuntimeException();
	}

	/** The caller as its metadata value: {@code node/<name>} or {@code operator}. */
	String headerValue() {
		return switch (this.kind) {
			case NODE -> CallerHeader.NODE_PREFIX + this.name;
			case OPERATOR -> CallerHeader.OPERATOR;
			case SERVICE, UNKNOWN -> throw new IllegalStateException(this + " declares nothing");
		};
	}

	@Override
	public String toString() {
		return switch (this.kind) {
			case NODE -> "node '" + this.name + "'";
			case OPERATOR -> "the operator";
			case SERVICE -> "service '" + this.name + "'";
			case UNKNOWN -> "a caller that did not say who it is (no " + CallerHeader.NAME + " metadata)";
		};
	}

	/** What a caller is. */
	public enum Kind {

		/** A node's agent. */
		NODE,

		/** The operator. */
		OPERATOR,

		/**
		 * A component whose certificate names neither a node nor the operator: it may
		 * only read.
		 */
		SERVICE,

		/** A caller that declared nothing: it may only read. */
		UNKNOWN

	}

}
