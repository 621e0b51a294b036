package io.jcilium.cli.hubble;

import io.jcilium.cli.TestConsole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code hubble observe --follow} in the packaged console, as a user runs it, stopped by
 * Ctrl-C (SIGINT) while the server keeps the stream open: it exits, every flow it got is
 * printed whole, nothing is printed about the interruption, and the server sees the call
 * cancelled.
 */
class ObserveInterruptIT {

	private static final Duration STARTED = Duration.ofSeconds(90);

	private static final Duration STOPPED = Duration.ofSeconds(20);

	private final List<Flow> flows = List.of(TestFlows.syn(), TestFlows.synAck(), TestFlows.policyDrop());

	private final CountDownLatch cancelled = new CountDownLatch(1);

	private Server server;

	private Process console;

	@TempDir
	Path home;

	@BeforeEach
	void setUp() throws IOException {
		this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(new OpenStream())
			.build()
			.start();
	}

	@AfterEach
	void tearDown() throws InterruptedException {
		if (this.console != null && this.console.isAlive()) {
			this.console.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		if (this.server != null) {
			this.server.shutdownNow();
		}
	}

	@Test
	void ctrlCStopsAFollowCleanly() throws Exception {
		Path out = this.home.resolve("out.txt");
		Path err = this.home.resolve("err.txt");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-jar", consoleJar().toString(), TestConsole.PLAINTEXT,
				"hubble", "observe", "--server", "127.0.0.1:" + this.server.getPort(), "--follow")
			.redirectOutput(out.toFile())
			.redirectError(err.toFile());
		builder.environment().put("HOME", this.home.toString());
		this.console = builder.start();
		List<String> expected = this.flows.stream().map(CompactPrinter::line).toList();

		awaitLines(out, expected.size(), err);
		assertThat(this.console.isAlive()).as("--follow keeps running while the stream is open").isTrue();
		Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(this.console.pid())).inheritIO().start();
		assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("SIGINT sent").isTrue();

		assertThat(this.console.waitFor(STOPPED.toSeconds(), TimeUnit.SECONDS)).as("the console exits on Ctrl-C")
			.isTrue();
		assertThat(this.cancelled.await(10, TimeUnit.SECONDS)).as("the server sees the call cancelled").isTrue();
		assertThat(Files.readString(out, StandardCharsets.UTF_8)).as("the flows, each line whole, nothing more")
			.isEqualTo(String.join("\n", expected) + "\n");
		assertThat(Files.readString(err, StandardCharsets.UTF_8)).as("nothing about the interruption")
			.doesNotContain("Exception")
			.doesNotContain("CANCELLED")
			.doesNotContain("hubble server");
	}

	private void awaitLines(Path out, int lines, Path err) throws Exception {
		long deadline = System.nanoTime() + STARTED.toNanos();
		while (System.nanoTime() < deadline) {
			if (Files.readString(out, StandardCharsets.UTF_8).lines().count() >= lines) {
				return;
			}
			if (!this.console.isAlive()) {
				fail("the console exited (" + this.console.exitValue() + ") before printing the flows: "
						+ Files.readString(out) + Files.readString(err));
			}
			Thread.sleep(100);
		}
		fail("no " + lines + " lines within " + STARTED + ": " + Files.readString(out) + Files.readString(err));
	}

	private static Path consoleJar() throws IOException {
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "cli-shell-*.jar")) {
			for (Path jar : jars) {
				String name = jar.getFileName().toString();
				if (!name.endsWith("-plain.jar") && !name.endsWith("-sources.jar")) {
					return jar.toAbsolutePath();
				}
			}
		}
		throw new AssertionError("no packaged console in target/: this test runs after 'package' (mvn verify)");
	}

	/** Sends the flows, then keeps the stream open until the client cancels it. */
	private final class OpenStream extends ObserverGrpc.ObserverImplBase {

		@Override
		public void getFlows(GetFlowsRequest request, StreamObserver<GetFlowsResponse> observer) {
			((ServerCallStreamObserver<GetFlowsResponse>) observer)
				.setOnCancelHandler(ObserveInterruptIT.this.cancelled::countDown);
			for (Flow flow : ObserveInterruptIT.this.flows) {
				observer.onNext(GetFlowsResponse.newBuilder()
					.setFlow(flow)
					.setNodeName(flow.getNodeName())
					.setTime(flow.getTime())
					.build());
			}
		}

	}

}
