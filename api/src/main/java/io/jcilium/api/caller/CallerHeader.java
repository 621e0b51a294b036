package io.jcilium.api.caller;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/**
 * The {@value #NAME} metadata through which a client says who it is: {@code node/<name>}
 * for a node's agent, {@code operator} for the operator.
 */
public final class CallerHeader {

	public static final String NAME = "jcilium-caller";

	static final String NODE_PREFIX = "node/";

	static final String OPERATOR = "operator";

	static final Metadata.Key<String> KEY = Metadata.Key.of(NAME, Metadata.ASCII_STRING_MARSHALLER);

	private CallerHeader() {
	}

	/**
	 * A client interceptor that declares the caller on every call.
	 * @param caller the node or the operator
	 * @return the interceptor, for {@code ClientInterceptors.intercept} or a stub's
	 * {@code withInterceptors}
	 */
	public static ClientInterceptor declaring(Caller caller) {
		Metadata headers = new Metadata();
		headers.put(KEY, caller.headerValue());
		return MetadataUtils.newAttachHeadersInterceptor(headers);
	}

	/**
	 * Reads a declared caller.
	 * @param value the metadata value, or null when absent
	 * @return the caller; unknown when absent
	 * @throws IllegalArgumentException naming what is wrong with a malformed value
	 */
	static Caller parse(String value) {
		if (value == null) {
			return Caller.unknown();
		}
		if (OPERATOR.equals(value)) {
			return Caller.operator();
		}
		if (value.startsWith(NODE_PREFIX)) {
			return Caller.node(value.substring(NODE_PREFIX.length()));
		}
		throw new IllegalArgumentException(NAME + " metadata '" + value + "' is neither 'operator' nor 'node/<name>'");
	}

}
