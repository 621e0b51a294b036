package io.jcilium.cli.hubble;

import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.cli.CommandFailedException;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.services.ServiceAddresses.ServiceAddress;

/**
 * Where {@code hubble} commands go: {@code --server host:port} (one agent, or any relay),
 * else the relay's gRPC address ({@code jcilium.services.relay.grpc}, localhost:4245 by
 * default). Turns gRPC failures into one line naming the server.
 */
final class HubbleServer implements AutoCloseable {

	private final String target;

	private final ManagedChannel channel;

	private HubbleServer(String target) {
		this.target = target;
		this.channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
	}

	static HubbleServer open(String server, ServiceAddresses addresses) {
		if (server != null && !server.isBlank()) {
			if (!server.strip().matches("[^\\s/]+:\\d{1,5}")) {
				throw new IllegalArgumentException("--server '" + server + "' is not host:port (e.g. localhost:4244)");
			}
			return new HubbleServer(server.strip());
		}
		ServiceAddress relay = addresses.services().get("relay");
		return new HubbleServer((relay != null && relay.grpc() != null) ? relay.grpc() : "localhost:4245");
	}

	ManagedChannel channel() {
		return this.channel;
	}

	String target() {
		return this.target;
	}

	/** A failure of a call to this server as the one line a user reads. */
	CommandFailedException failure(StatusRuntimeException ex) {
		Status status = ex.getStatus();
		String reason = switch (status.getCode()) {
			case UNAVAILABLE -> "cannot reach it (" + description(status) + ")";
			case DEADLINE_EXCEEDED -> "no answer in time";
			case UNIMPLEMENTED -> "it does not serve the Hubble Observer API";
			default -> status.getCode() + ": " + description(status);
		};
		return new CommandFailedException("hubble server " + this.target + ": " + reason);
	}

	private static String description(Status status) {
		if (status.getDescription() != null) {
			return status.getDescription();
		}
		return (status.getCause() != null) ? String.valueOf(status.getCause().getMessage()) : status.getCode().name();
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

}
