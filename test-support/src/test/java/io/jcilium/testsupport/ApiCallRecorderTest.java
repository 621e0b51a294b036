package io.jcilium.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

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

		try (KubernetesClient client = ApiCallRecorder.client(this.service, mockServer.getConfiguration())) {
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

	@Test
	void noRecordingIsNone() throws IOException {
		assertThat(ApiCallRecorder.recordedInThisBuild(this.file)).isEmpty();
	}

}
