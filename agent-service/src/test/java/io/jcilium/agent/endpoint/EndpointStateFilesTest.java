package io.jcilium.agent.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * State files are read as the agent's earlier (Jackson 3) versions wrote and read them:
 * an upgrade must restore every endpoint a previous agent kept.
 */
class EndpointStateFilesTest {

	// As an earlier agent wrote it, with a field a later record may carry.
	private static final String WRITTEN_BEFORE = "{\"id\":5,\"containerId\":\"c5\",\"podIfName\":\"eth0\","
			+ "\"netnsPath\":\"/var/run/netns/p5\",\"podNamespace\":\"default\",\"podName\":\"web-5\","
			+ "\"ip\":\"10.0.0.5\",\"hostIfName\":\"lxc5\",\"hostIfIndex\":12,\"hostMac\":\"aa:bb:cc:dd:ee:01\","
			+ "\"podMac\":\"aa:bb:cc:dd:ee:02\",\"identity\":4242,\"securityLabels\":[\"k8s:app=web\"]%s}";

	@TempDir
	Path directory;

	@Test
	void aFileWithAFieldThisVersionDoesNotKnowIsRestored() throws IOException {
		write("5.json", WRITTEN_BEFORE.formatted(",\"addedLater\":{\"x\":1}"));

		List<EndpointRecord> records = new EndpointStateFiles(this.directory).readAll();

		assertThat(records).singleElement().satisfies((record) -> {
			assertThat(record.id()).isEqualTo(5);
			assertThat(record.identity()).isEqualTo(4242);
			assertThat(record.securityLabels()).containsExactly("k8s:app=web");
		});
	}

	@Test
	void aNullNumberOrBytesAfterTheObjectQuarantineTheFile() throws IOException {
		write("5.json", WRITTEN_BEFORE.formatted("").replace("\"hostIfIndex\":12", "\"hostIfIndex\":null"));
		write("6.json", WRITTEN_BEFORE.formatted("").replace("\"id\":5", "\"id\":6") + "{}");
		EndpointStateFiles files = new EndpointStateFiles(this.directory);

		assertThat(files.readAll()).isEmpty();
		assertThat(files.quarantined()).hasSize(2);
	}

	private void write(String name, String json) throws IOException {
		Files.writeString(this.directory.resolve(name), json, StandardCharsets.UTF_8);
	}

}
