package io.jcilium.api.caller;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Makes the caller of each call known to the handlers through {@link Caller#current()}.
 * <p>
 * With mTLS ({@link #fromCertificates()}) the caller is what the peer's verified
 * certificate names ({@link CallerCertificate}); a call without one is UNAUTHENTICATED,
 * and one whose {@value CallerHeader#NAME} metadata claims someone else is
 * PERMISSION_DENIED, so the header alone never makes anyone a node or the operator (the
 * one exception: the agents' shared certificate, {@link CallerCertificate#SHARED_AGENT},
 * acts for the node it declares). Over plaintext ({@link #fromHeader()}, a development
 * setting) the caller is what the client declares; a malformed declaration is
 * UNAUTHENTICATED.
 */
public final class CallerInterceptor implements ServerInterceptor {

	private final boolean certificates;

	private CallerInterceptor(boolean certificates) {
		this.certificates = certificates;
	}

	/** The caller is what the client declares: plaintext, for development only. */
	public static CallerInterceptor fromHeader() {
		return new CallerInterceptor(false);
	}

	/** The caller is what the client's certificate names: mTLS. */
	public static CallerInterceptor fromCertificates() {
		return new CallerInterceptor(true);
	}

	/**
	 * The interceptor for a server's transport settings.
	 * @param tlsEnabled whether the server speaks TLS
	 * @param clientAuth the server's client authentication mode ({@code NONE},
	 * {@code OPTIONAL}, {@code REQUIRE}, any case)
	 * @return {@link #fromCertificates()} with TLS, {@link #fromHeader()} without
	 * @throws IllegalStateException when TLS is on without required client certificates,
	 * which would let callers without a certificate fall back to declaring themselves
	 */
	public static CallerInterceptor forTransport(boolean tlsEnabled, String clientAuth) {
		if (!tlsEnabled) {
			return fromHeader();
		}
		if (!"require".equalsIgnoreCase(clientAuth)) {
			throw new IllegalStateException("gRPC server TLS is on with client-auth '" + clientAuth
					+ "': callers are identified by their certificates, so set spring.grpc.server.ssl.client-auth=require");
		}
		return fromCertificates();
	}

	/**
	 * The interceptor for a Spring gRPC server's settings, read as Spring gRPC reads
	 * them: TLS is on when {@code spring.grpc.server.ssl.enabled} says so, else when
	 * {@code spring.grpc.server.ssl.bundle} names a bundle.
	 * @param setting a setting's value by its name, null when unset (e.g. a Spring
	 * {@code Environment::getProperty})
	 * @return the interceptor
	 * @throws IllegalStateException as {@link #forTransport(boolean, String)}
	 */
	public static CallerInterceptor forServerSettings(UnaryOperator<String> setting) {
		String enabled = setting.apply("spring.grpc.server.ssl.enabled");
		boolean tls = (enabled != null) ? Boolean.parseBoolean(enabled.trim())
				: setting.apply("spring.grpc.server.ssl.bundle") != null;
		String clientAuth = setting.apply("spring.grpc.server.ssl.client-auth");
		return forTransport(tls, (clientAuth != null) ? clientAuth : "none");
	}

	public boolean usesCertificates() {
		return this.certificates;
	}

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		Caller caller;
		try {
			Caller declared = CallerHeader.parse(headers.get(CallerHeader.KEY));
			caller = this.certificates ? certified(call, declared) : declared;
		}
		catch (IllegalArgumentException ex) {
			return refuse(call, Status.UNAUTHENTICATED.withDescription(ex.getMessage()));
		}
		catch (CallerMismatchException ex) {
			return refuse(call, Status.PERMISSION_DENIED.withDescription(ex.getMessage()));
		}
		Context context = Context.current()
			.withValues(Caller.CONTEXT_KEY, caller, Caller.REMOTE_HOST_KEY, remoteHost(call));
		return Contexts.interceptCall(context, call, headers, next);
	}

	private static Caller certified(ServerCall<?, ?> call, Caller declared) {
		SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
		if (session == null) {
			throw new IllegalArgumentException("mTLS is required: the call came without TLS");
		}
		Certificate[] chain;
		try {
			chain = session.getPeerCertificates();
		}
		catch (SSLPeerUnverifiedException ex) {
			throw new IllegalArgumentException("mTLS is required: the call came without a client certificate", ex);
		}
		if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
			throw new IllegalArgumentException("mTLS is required: the client certificate is not an X.509 one");
		}
		Caller certified = CallerCertificate.callerOf(leaf);
		if (certified.equals(Caller.service(CallerCertificate.SHARED_AGENT)) && declared.kind() == Caller.Kind.NODE) {
			return declared;
		}
		if (declared.kind() != Caller.Kind.UNKNOWN && !declared.equals(certified)) {
			throw new CallerMismatchException(CallerHeader.NAME + " metadata declares " + declared
					+ " but the client certificate names " + certified);
		}
		return certified;
	}

	private static <Q> ServerCall.Listener<Q> refuse(ServerCall<Q, ?> call, Status status) {
		call.close(status, new Metadata());
		return new ServerCall.Listener<>() {
		};
	}

	private static String remoteHost(ServerCall<?, ?> call) {
		SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
		if (address instanceof InetSocketAddress inet) {
			return inet.getAddress().getHostAddress();
		}
		return String.valueOf(address);
	}

	/** A declared caller that is not the one the certificate names. */
	private static final class CallerMismatchException extends RuntimeException {

		CallerMismatchException(String message) {
			super(message, null, false, false);
		}

	}

}
