package io.jcilium.cli.services;

import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.cli.CommandFailedException;

/**
 * A channel to one service's gRPC API, and that service's call failures as the one line a
 * user reads: which service, where, and what to do.
 */
public final class GrpcTarget implements AutoCloseable {

	private final String service;

	private final String target;

	private final Wording wording;

	private final ManagedChannel channel;

	/**
	 * @param service how the user knows it, e.g. {@code identity-service at}
	 * @param target host:port
	 * @param wording the service's own words for its failures
	 * @param credentials mTLS or plaintext ({@link ClientTls#credentials()})
	 */
	public GrpcTarget(String service, String target, Wording wording, ChannelCredentials credentials) {
		this.service = service;
		this.target = target;
		this.wording = wording;
		this.channel = Grpc.newChannelBuilder(target, credentials).build();
	}

	public String target() {
		return this.target;
	}

	public ManagedChannel channel() {
		return this.channel;
	}

	/**
	 * A failed call as one line naming the service.
	 * @param ex what the call threw
	 * @return the failure to throw
	 */
	public CommandFailedException failure(StatusRuntimeException ex) {
		Status status = ex.getStatus();
		SSLException handshake = handshakeFailure(status.getCause());
		String reason = switch (status.getCode()) {
			case UNAVAILABLE -> (handshake != null)
					? "the TLS handshake failed (" + firstLine(handshake.getMessage())
							+ "); check jcilium.tls.ca-certificate, certificate and private-key: "
							+ "the cluster's CA and a certificate it signed"
					: "cannot reach it (" + description(status) + ")" + this.wording.unavailableHint();
			case DEADLINE_EXCEEDED -> this.wording.deadlineExceeded();
			case UNIMPLEMENTED -> "it does not serve " + this.wording.api();
			default -> status.getCode() + ": " + description(status);
		};
		return new CommandFailedException(this.service + " " + this.target + ": " + reason);
	}

	/** gRPC's descriptions can span lines (Netty appends its pipeline): one line only. */
	private static String description(Status status) {
		if (status.getDescription() != null) {
			return firstLine(status.getDescription());
		}
		return (status.getCause() != null) ? firstLine(String.valueOf(status.getCause().getMessage()))
				: status.getCode().name();
	}

	private static String firstLine(String text) {
		if (text == null) {
			return "no detail";
		}
		int end = text.indexOf('\n');
		return ((end < 0) ? text : text.substring(0, end)).strip();
	}

	private static SSLException handshakeFailure(Throwable cause) {
		for (Throwable next = cause; next != null; next = next.getCause()) {
			if (next instanceof SSLException ssl) {
				return ssl;
			}
		}
		return null;
	}

	@Override
	public void close() {
		this.channel.shutdownNow();
		try {
			this.channel.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A service's words for its failures.
	 *
	 * @param api the API it should serve, e.g. {@code identity.v1}
	 * @param unavailableHint appended when it cannot be reached (empty, or starting with
	 * {@code "; "})
	 * @param deadlineExceeded what to say when it did not answer in time
	 */
	public record Wording(String api, String unavailableHint, String deadlineExceeded) {

	}

}
