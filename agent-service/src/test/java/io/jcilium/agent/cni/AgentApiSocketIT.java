package io.jcilium.agent.cni;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The agent socket against clients that hold connections without finishing a request (a
 * hung or hostile local process): they must neither starve the CNI plugin's calls nor
 * make the agent open threads or buffers without bound.
 */
class AgentApiSocketIT {

	/**
	 * Generous: far above the read timeout, so only a server that never answers hits it.
	 */
	private static final Duration BOUND = Duration.ofMinutes(2);

	@TempDir
	Path dir;

	private final List<SocketChannel> clients = new ArrayList<>();

	private AgentFixture fixture;

	@AfterEach
	void cleanUp() throws IOException {
		for (SocketChannel client : this.clients) {
			client.close();
		}
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	@Test
	void silentAndHalfRequestsNeitherBlockOtherClientsNorStayOpenForever() throws Exception {
		this.fixture = new AgentFixture(this.dir);
		List<SocketChannel> stalled = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			stalled.add(connect(this.fixture.socket));
		}
		for (int i = 0; i < 12; i++) {
			SocketChannel half = connect(this.fixture.socket);
			send(half, "PUT /v1/cni/add HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"cniVersion\":");
			stalled.add(half);
		}

		String health = assertTimeoutPreemptively(BOUND,
				() -> exchange(this.fixture.socket, "GET /v1/healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
		assertThat(health).startsWith("HTTP/1.1 200");

		for (SocketChannel client : stalled) {
			String answer = assertTimeoutPreemptively(BOUND, () -> readToEnd(client));
			assertThat(answer).as("the server closes a stalled connection, at most with an error")
				.satisfiesAnyOf((text) -> assertThat(text).isEmpty(),
						(text) -> assertThat(text).startsWith("HTTP/1.1 408"));
		}
	}

	@Test
	void connectionsBeyondTheLimitGetA503SayingWhy() throws Exception {
		this.fixture = new AgentFixture(this.dir, new AgentApiSettings(Duration.ofSeconds(30), 2, 4),
				AgentFixture::defaultEndpoints);
		for (int i = 0; i < 4; i++) {
			connect(this.fixture.socket);
		}
		String refused = assertTimeoutPreemptively(BOUND,
				() -> exchange(this.fixture.socket, "GET /v1/healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
		assertThat(refused).startsWith("HTTP/1.1 503").contains("connections");
	}

	private SocketChannel connect(Path socket) throws IOException {
		SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
		client.connect(UnixDomainSocketAddress.of(socket));
		this.clients.add(client);
		return client;
	}

	private String exchange(Path socket, String request) throws IOException {
		SocketChannel client = connect(socket);
		try {
			send(client, request);
		}
		catch (IOException ex) {
			// A refusing server may answer and close before the request is written; its
			// answer is still there to read.
		}
		return readToEnd(client);
	}

	private static void send(SocketChannel client, String text) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
		while (buffer.hasRemaining()) {
			client.write(buffer);
		}
	}

	private static String readToEnd(SocketChannel client) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		try {
			while (client.read(buffer) >= 0) {
				if (!buffer.hasRemaining()) {
					break;
				}
			}
		}
		catch (IOException ex) {
			// Reset by the server: closed, which is what a stalled client is owed.
		}
		buffer.flip();
		return StandardCharsets.US_ASCII.decode(buffer).toString();
	}

}
