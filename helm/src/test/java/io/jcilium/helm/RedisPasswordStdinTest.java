package io.jcilium.helm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the bundled Redis's rendered command with the machine's redis-server (the same 7.0
 * as the chart's image), only its data directory and port moved into this test: Redis
 * requires the Secret's password, even one with quotes, backslashes and spaces, and no
 * process of the container carries it in its arguments, nor redis-server in its
 * environment.
 */
class RedisPasswordStdinTest {

	private static final String PASSWORD = "pa ss\"wo\\rd $HOME 'x'";

	@TempDir
	Path dir;

	@Test
	void redisRequiresThePasswordItReadOnStdinAndNoProcessShowsIt() throws Exception {
		Prerequisites.require(Prerequisites.onPath("redis-server"), "redis-server is not installed");
		Map<String, Object> redis = list(RenderedChart.renderDefaults().get("Deployment", "jcilium-redis"),
				"spec.template.spec.containers")
			.get(0);
		int port = freePort();
		List<String> commandLine = new ArrayList<>(strings(redis, "command"));
		for (String arg : strings(redis, "args")) {
			commandLine.add(switch (arg) {
				case "/data" -> this.dir.toString();
				case "6379" -> Integer.toString(port);
				default -> arg;
			});
		}
		assertThat(commandLine).contains(this.dir.toString(), Integer.toString(port));
		ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("redis.log").toFile());
		builder.environment().put("REDIS_PASSWORD", PASSWORD);
		builder.environment().put("REDISCLI_AUTH", PASSWORD);
		Process shell = builder.start();
		try {
			awaitPort(port, shell);

			assertThat(send(port, List.of(List.of("PING")))).as("without the password").startsWith("-NOAUTH");
			assertThat(send(port, List.of(List.of("AUTH", "wrong"), List.of("PING")))).as("with a wrong password")
				.startsWith("-WRONGPASS");
			assertThat(send(port, List.of(List.of("AUTH", PASSWORD), List.of("PING")))).isEqualTo("+OK\r\n+PONG\r\n");

			List<ProcessHandle> processes = new ArrayList<>(shell.descendants().toList());
			processes.add(shell.toHandle());
			ProcessHandle server = processes.stream()
				.filter((process) -> "redis-server".equals(comm(process)))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no redis-server among " + processes));
			for (ProcessHandle process : processes) {
				String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
				assertThat(cmdline).as("arguments of %s", process.pid())
					.doesNotContain("pa ss")
					.doesNotContain("wo\\rd");
			}
			assertThat(Files.readString(Path.of("/proc", Long.toString(server.pid()), "environ")))
				.as("redis-server's environment")
				.doesNotContain("pa ss");
		}
		finally {
			shell.descendants().forEach(ProcessHandle::destroyForcibly);
			shell.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	/** Commands in RESP, the replies as Redis wrote them (read until idle). */
	private static String send(int port, List<List<String>> commands) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(2000);
			StringBuilder request = new StringBuilder();
			for (List<String> command : commands) {
				request.append('*').append(command.size()).append("\r\n");
				for (String word : command) {
					request.append('$')
						.append(word.getBytes(StandardCharsets.UTF_8).length)
						.append("\r\n")
						.append(word)
						.append("\r\n");
				}
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder replies = new StringBuilder();
			long lines = 0;
			while (lines < commands.size()) {
				int b = in.read();
				if (b < 0) {
					break;
				}
				replies.append((char) b);
				if (b == '\n') {
					lines++;
					if (replies.charAt(0) == '-' && lines == 1) {
						break;
					}
				}
			}
			return replies.toString();
		}
	}

	private void awaitPort(int port, Process shell) throws Exception {
		for (int i = 0; i < 200; i++) {
			if (!shell.isAlive()) {
				throw new AssertionError("redis exited: " + Files.readString(this.dir.resolve("redis.log")));
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException notYet) {
				Thread.sleep(50);
			}
		}
		throw new AssertionError(
				"redis did not listen on " + port + ": " + Files.readString(this.dir.resolve("redis.log")));
	}

	/** The executable's name (Debian's redis-server is a link to redis-check-rdb). */
	private static String comm(ProcessHandle process) {
		try {
			return Files.readString(Path.of("/proc", Long.toString(process.pid()), "comm")).strip();
		}
		catch (IOException gone) {
			return "";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
