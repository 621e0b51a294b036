package io.jcilium.cli.hubble;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.jcilium.cli.CommandFailedException;
import io.jcilium.cli.services.GrpcTarget;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.services.ServiceAddresses.ServiceAddress;

/**
 * Where {@code hubble} commands go: {@code --server host:port} (one agent, or any relay),
 * else the relay's gRPC address ({@code jcilium.services.relay.grpc}, localhost:4245 by
 * default). Turns gRPC failures into one line naming the server.
 */
final class HubbleServer implements AutoCloseable {

	private static final GrpcTarget.Wording WORDING = new GrpcTarget.Wording("the Hubble Observer API", "",
			"no answer in time");

	private final GrpcTarget grpc;

	private HubbleServer(String target, ChannelCredentials credentials) {
		this.grpc = new GrpcTarget("hubble server", target, WORDING, credentials);
	}

	static HubbleServer open(String server, ServiceAddresses addresses) {
		if (server != null && !server.isBlank()) {
			if (!server.strip().matches("[^\\s/]+:\\d{1,5}")) {
				throw new IllegalArgumentException("--server '" + server + "' is not host:port (e.g. localhost:4244)");
			}
			return new HubbleServer(server.strip(), addresses.tls().credentials());
		}
		ServiceAddress relay = addresses.services().get("relay");
		return new HubbleServer((relay != null && relay.grpc() != null) ? relay.grpc() : "localhost:4245",
				addresses.tls().credentials());
	}

	ManagedChannel channel() {
		return this.grpc.channel();
	}

	String target() {
		return this.grpc.target();
	}

	/** A failure of a call to this server as the one line a user reads. */
	CommandFailedException failure(StatusRuntimeException ex) {
		return this.grpc.failure(ex);
	}

	@Override
	public void close() {
		this.grpc.close();
	}

}
