package io.jcilium.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recording belongs to the Maven run that made it: the first call of a run replaces
 * what an earlier run left, and a recording of another run reads as none.
 */
@EnableKubernetesMockClient(crud = true)
class ApiCallRecorderTest {

	static KubernetesClient mockServer;

	private final String service = "recorder-test-" + UUID.randomUUID();

	private final Path file = Path.of("target", "api-calls", this.service + ".txt");

	@AfterEach
	void removeRecording() throws IOException {
		Files.deleteIfExists(this.file);
	}

	@Test
	void theFirstCallOfARunReplacesAnEarlierRunsRecording() throws IOException {
		Files.createDirectories(this.file.getParent());
		Files.write(this.file, List.of("# build an-earlier-run", new ApiCall("delete", "secrets", "").line()),
				StandardCharsets.UTF_8);
		assertThat(ApiCallRecorder.recordedInThisBuild(this.file)).as("a recording of another run counts as none")
			.isEmpty();

		try (KubernetesClient client = ApiCallRecorder.client(this.service, patient(mockServer.getConfiguration()))) {
			client.pods().inNamespace("default").list();
			client.configMaps().inNamespace("default").list();
			client.pods().inNamespace("default").list();
		}

		assertThat(Files.readAllLines(this.file, StandardCharsets.UTF_8)).containsExactly(
				"# build " + ApiCallRecorder.buildId(), new ApiCall("list", "pods", "").line(),
				new ApiCall("list", "configmaps", "").line());
		assertThat(ApiCallRecorder.recordedInThisBuild(this.file)).hasValueSatisfying((calls) -> assertThat(calls)
			.containsExactly(new ApiCall("list", "pods", ""), new ApiCall("list", "configmaps", "")));
	}

	/**
	 * The mock's configuration with timeouts that only catch a hang. Its defaults (10 s
	 * to connect, 10 s per request) are about what the first request of a new client
	 * takes here under load (its HTTP client and TLS warm up), so a loaded machine failed
	 * this test with a timeout; how fast the mock answers is not what it checks.
	 */
	private static Config patient(Config config) {
		int stuckMillis = (int) Duration.ofMinutes(3).toMillis();
		return new ConfigBuilder(config).withConnectionTimeout(stuckMillis).withRequestTimeout(stuckMillis).build();
	}

	@Test
	void noRecordingIsNone() throws IOException {
		assertThat(ApiCallRecorder.recordedInThisBuild(this.file)).isEmpty();
	}

}
