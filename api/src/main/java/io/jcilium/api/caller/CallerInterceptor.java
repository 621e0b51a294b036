package io.jcilium.api.caller;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Makes the caller a client declared ({@link CallerHeader}) known to the handlers through
 * {@link Caller#current()}; a malformed declaration ends the call with UNAUTHENTICATED.
 */
public final class CallerInterceptor implements ServerInterceptor {

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		Caller caller;
		try {
			caller = CallerHeader.parse(headers.get(CallerHeader.KEY));
		}
		catch (IllegalArgumentException ex) {
			call.close(Status.UNAUTHENTICATED.withDescription(ex.getMessage()), new Metadata());
			return new ServerCall.Listener<>() {
			};
		}
		Context context = Context.current()
			.withValues(Caller.CONTEXT_KEY, caller, Caller.REMOTE_HOST_KEY, remoteHost(call));
		return Contexts.interceptCall(context, call, headers, next);
	}

	private static String remoteHost(ServerCall<?, ?> call) {
		SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
		if (address instanceof InetSocketAddress inet) {
			return inet.getAddress().getHostAddress();
		}
		return String.valueOf(address);
	}

}
