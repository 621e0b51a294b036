package io.jcilium.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The training run the launcher records its class cache from: every command in it must
 * succeed, or the cache silently lacks the successful paths it exists for (the endpoint
 * table with labels from {@code identity.v1}, the gRPC health check SERVING).
 */
@ExtendWith(OutputCaptureExtension.class)
class TrainingRunTest {

	@Test
	void everyTrainedCommandSucceeds(CapturedOutput output) throws Exception {
		assertThat(TrainingRun.run()).isEqualTo(ExitCodes.OK);

		assertThat(output.getOut()).contains("SERVING")
			.contains("k8s:app=web")
			.contains("reserved:host")
			.contains("\"endpointId\": 20");
		assertThat(output.getErr()).doesNotContain("training run:");
	}

}
