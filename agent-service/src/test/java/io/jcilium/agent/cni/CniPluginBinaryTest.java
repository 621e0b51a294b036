package io.jcilium.agent.cni;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built plugin binary on its own, without root: the HTTP request it sends (read by a
 * one-shot server on a unix socket), how it passes the agent's answers on, and what it
 * does when the agent cannot be reached. The agent end to end is {@link CniPluginIT}.
 */
class CniPluginBinaryTest {

	@TempDir
	Path dir;

	@Test
	void forwardsTheCallAsOneHttpRequestAndPrintsTheAgentsResult() throws Exception {
		Path socket = this.dir.resolve("agent.sock");
		String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"jcilium-cni\",\"agentSocket\":\"" + socket
				+ "\",\"pad\":\"" + "x".repeat(100_000) + "\"}";
		String result = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.7/32\"}]}";
		CompletableFuture<String> request = serveOnce(socket, "200 OK", result);

		Commands.Result add = run("ADD", config, Map.of("CNI_CONTAINERID", "c0ffee", "CNI_NETNS", "/run/netns/p",
				"CNI_ARGS", "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1", "CNI_PATH", "/opt/cni/bin"));

		assertThat(add.exitCode()).isZero();
		assertThat(add.output()).isEqualTo(result);
		String sent = request.get(10, TimeUnit.SECONDS);
		assertThat(sent).startsWith("PUT /v1/cni/add HTTP/1.1\r\n")
			.contains("\r\nX-Cni-Containerid: c0ffee\r\n", "\r\nX-Cni-Netns: /run/netns/p\r\n",
					"\r\nX-Cni-Ifname: eth0\r\n", "\r\nX-Cni-Args: K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1\r\n",
					"\r\nX-Cni-Path: /opt/cni/bin\r\n",
					"\r\nContent-Length: " + config.getBytes(StandardCharsets.UTF_8).length + "\r\n")
			.endsWith("\r\n\r\n" + config);
	}

	@Test
	void aBurstBeyondTheAgentsBacklogWaitsForTheAgentInsteadOfFailing() throws Exception {
		Path socket = this.dir.resolve("busy.sock");
		String result = "{\"cniVersion\":\"1.0.0\"}";
		int calls = 6;
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket), 1);
			List<CompletableFuture<Commands.Result>> runs = new java.util.ArrayList<>();
			for (int i = 0; i < calls; i++) {
				String container = "burst" + i;
				runs.add(CompletableFuture.supplyAsync(() -> {
					try {
						return run("ADD", config("1.0.0", socket), Map.of("CNI_CONTAINERID", container));
					}
					catch (IOException ex) {
						throw new IllegalStateException(ex);
					}
				}));
			}
			// The agent is busy: the calls pile up beyond the backlog of one before it
			// accepts anything.
			Thread.sleep(1000);
			for (int i = 0; i < calls; i++) {
				try (SocketChannel client = server.accept()) {
					readRequest(client);
					String head = "HTTP/1.1 200 OK\r\nContent-Length: " + result.length() + "\r\n\r\n";
					client.write(ByteBuffer.wrap((head + result).getBytes(StandardCharsets.UTF_8)));
				}
			}
			for (CompletableFuture<Commands.Result> call : runs) {
				Commands.Result add = call.get(60, TimeUnit.SECONDS);
				assertThat(add.exitCode()).as(add.output()).isZero();
				assertThat(add.output()).isEqualTo(result);
			}
		}
	}

	@Test
	void theAgentsCniErrorIsPrintedAndTheCallFails() throws Exception {
		Path socket = this.dir.resolve("agent.sock");
		String error = "{\"cniVersion\":\"0.4.0\",\"code\":100,\"msg\":\"pod CIDR exhausted\"}";
		serveOnce(socket, "409 Conflict", error);

		Commands.Result add = run("ADD", config("0.4.0", socket), Map.of("CNI_CONTAINERID", "c1"));

		assertThat(add.exitCode()).isEqualTo(1);
		assertThat(add.output()).isEqualTo(error);
	}

	@Test
	void anHttpErrorWithoutACniErrorBecomesCode11() throws Exception {
		Path socket = this.dir.resolve("agent.sock");
		serveOnce(socket, "500 Internal Server Error", "");

		Commands.Result add = run("ADD", config("0.4.0", socket), Map.of("CNI_CONTAINERID", "c2"));

		assertThat(add.exitCode()).isEqualTo(1);
		JsonNode error = Json.MAPPER.readTree(add.output());
		assertThat(error.path("cniVersion").asText()).isEqualTo("0.4.0");
		assertThat(error.path("code").asInt()).isEqualTo(ExpectedCniCodes.TRY_AGAIN_LATER);
		assertThat(error.path("details").asText()).contains("HTTP 500");
	}

	@Test
	void withoutAnAgentAddAsksForARetryAndDelCountsAsDone() throws Exception {
		Path missing = this.dir.resolve("no-agent.sock");

		Commands.Result add = run("ADD", config("1.0.0", missing), Map.of("CNI_CONTAINERID", "c3"));
		Commands.Result del = run("DEL", config("1.0.0", missing), Map.of("CNI_CONTAINERID", "c3"));

		assertThat(add.exitCode()).isEqualTo(1);
		JsonNode error = Json.MAPPER.readTree(add.output());
		assertThat(error.path("code").asInt()).isEqualTo(ExpectedCniCodes.TRY_AGAIN_LATER);
		assertThat(error.path("details").asText()).contains(missing.toString());
		assertThat(del.exitCode()).isZero();
		assertThat(del.output()).isEmpty();
	}

	@Test
	void aLineBreakInArgsOrPathCannotInjectAHeader() throws Exception {
		Path socket = this.dir.resolve("unused.sock");
		for (String variable : List.of("CNI_ARGS", "CNI_PATH")) {
			Commands.Result add = run("ADD", config("1.0.0", socket),
					Map.of("CNI_CONTAINERID", "c4", variable, "K8S_POD_NAME=a\r\nX-Cni-Containerid: other"));

			assertThat(add.exitCode()).isEqualTo(1);
			JsonNode error = Json.MAPPER.readTree(add.output());
			assertThat(error.path("code").asInt()).isEqualTo(4);
			assertThat(error.path("msg").asText()).isEqualTo("invalid " + variable);
		}
	}

	@Test
	void anUnknownCommandIsNamedWithoutItsControlCharacters() throws Exception {
		Commands.Result result = Commands.run(List.of(AgentFixture.pluginPath().toString()), "",
				Map.of("CNI_COMMAND", "ADD\"\n}"));

		assertThat(result.exitCode()).isEqualTo(1);
		JsonNode error = Json.MAPPER.readTree(result.output());
		assertThat(error.path("code").asInt()).isEqualTo(4);
		assertThat(error.path("details").asText()).endsWith("not 'ADD'");
	}

	private static String config(String version, Path socket) {
		return "{\"cniVersion\":\"" + version + "\",\"name\":\"n\",\"type\":\"jcilium-cni\",\"agentSocket\":\"" + socket
				+ "\"}";
	}

	private static Commands.Result run(String command, String config, Map<String, String> environment)
			throws IOException {
		Map<String, String> all = new HashMap<>(Map.of("CNI_COMMAND", command, "CNI_IFNAME", "eth0"));
		all.putAll(environment);
		return Commands.run(List.of(AgentFixture.pluginPath().toString()), config, all);
	}

	/**
	 * Accepts one connection, reads one request and answers it; completes with the
	 * request.
	 */
	private static CompletableFuture<String> serveOnce(Path socket, String status, String body) throws IOException {
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(socket));
		return CompletableFuture.supplyAsync(() -> {
			try (server; SocketChannel client = server.accept()) {
				String request = readRequest(client);
				byte[] content = body.getBytes(StandardCharsets.UTF_8);
				String head = "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
						+ content.length + "\r\nConnection: close\r\n\r\n";
				client.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.UTF_8)));
				client.write(ByteBuffer.wrap(content));
				return request;
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				try {
					Files.deleteIfExists(socket);
				}
				catch (IOException ex) {
					// the temporary directory goes anyway
				}
			}
		});
	}

	private static String readRequest(SocketChannel client) throws IOException {
		StringBuilder request = new StringBuilder();
		ByteBuffer buffer = ByteBuffer.allocate(16384);
		int expected = -1;
		while (expected < 0 || request.length() < expected) {
			buffer.clear();
			if (client.read(buffer) < 0) {
				break;
			}
			request.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1));
			int headEnd = request.indexOf("\r\n\r\n");
			if (expected < 0 && headEnd >= 0) {
				String head = request.substring(0, headEnd);
				int at = head.indexOf("Content-Length: ");
				int length = Integer.parseInt(head.substring(at + 16, head.indexOf("\r\n", at)));
				expected = headEnd + 4 + length;
			}
		}
		return new String(request.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
	}

}
