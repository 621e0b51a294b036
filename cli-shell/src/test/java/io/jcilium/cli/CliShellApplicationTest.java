package io.jcilium.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console as {@code main()} runs it, in-process (one Spring context): a one-shot
 * {@code status} against a stand-in identity-service whose Redis is down, over HTTP and
 * gRPC, must print the table and end with exit code 1.
 */
@ExtendWith(OutputCaptureExtension.class)
class CliShellApplicationTest {

	private HttpServer actuator;

	private Server grpc;

	@BeforeEach
	void startStandIns() throws IOException {
		this.actuator = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.actuator.createContext("/actuator/health", (exchange) -> {
			byte[] body = "{\"status\":\"DOWN\",\"components\":{\"redis\":{\"status\":\"DOWN\"}}}"
				.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(503, body.length);
			try (OutputStream stream = exchange.getResponseBody()) {
				stream.write(body);
			}
		});
		this.actuator.start();
		this.grpc = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(new HealthStatusManager().getHealthService())
			.build()
			.start();
	}

	@AfterEach
	void stopStandIns() throws InterruptedException {
		this.actuator.stop(0);
		this.grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void oneShotStatusPrintsTheTableAndFailsWhenAServiceIsDown(CapturedOutput output) {
		String httpUrl = "http://127.0.0.1:" + this.actuator.getAddress().getPort();
		String grpcTarget = "127.0.0.1:" + this.grpc.getPort();

		// The stand-ins answer at once; the generous timeout only absorbs a cold, busy
		// JVM.
		int exitCode = CliShellApplication.run(TestConsole.PLAINTEXT, "--jcilium.services.identity.url=" + httpUrl,
				"--jcilium.services.identity.grpc=" + grpcTarget, "--jcilium.cli.status.timeout=30s", "status",
				"identity");

		assertThat(exitCode).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getOut()).containsPattern("SERVICE +URL +STATUS +DETAILS")
			.containsPattern("identity +" + httpUrl + " +DOWN +redis DOWN")
			.containsPattern("identity +grpc://" + grpcTarget + " +SERVING");
		assertThat(output.getErr()).contains("1 of 2 health checks failed: identity DOWN");
	}

}
