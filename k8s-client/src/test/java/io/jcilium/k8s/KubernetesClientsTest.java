package io.jcilium.k8s;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What our client sends on the wire, read from a real socket: one request to a server
 * that records its head and answers as the API server's {@code /version} does.
 */
class KubernetesClientsTest {

	@Test
	void requestsGoOutAsHttp11WithoutAskingToUpgradeToHttp2() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			CompletableFuture<List<String>> head = CompletableFuture.supplyAsync(() -> answerOnce(server));
			Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + server.getLocalPort())
				.withRequestRetryBackoffLimit(0)
				.build();
			try (KubernetesClient client = KubernetesClients.create(config, WatchLiveness.DEFAULT)) {
				assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.34.0");
			}
			List<String> lines = head.get(30, TimeUnit.SECONDS);
			assertThat(lines.get(0)).isEqualTo("GET /version HTTP/1.1");
			assertThat(lines).noneMatch((line) -> line.toLowerCase().startsWith("upgrade:"))
				.noneMatch((line) -> line.toLowerCase().startsWith("http2-settings:"));
		}
	}

	private static List<String> answerOnce(ServerSocket server) {
		try (Socket socket = server.accept()) {
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			List<String> lines = new ArrayList<>();
			for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
				lines.add(line);
			}
			byte[] body = "{\"major\":\"1\",\"minor\":\"34\",\"gitVersion\":\"v1.34.0\"}"
				.getBytes(StandardCharsets.US_ASCII);
			OutputStream out = socket.getOutputStream();
			out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
					+ "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			return lines;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
