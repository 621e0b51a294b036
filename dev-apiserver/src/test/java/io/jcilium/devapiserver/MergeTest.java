package io.jcilium.devapiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MergeTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void jsonMergePatchMergesObjectsRemovesNullsAndReplacesLists() throws Exception {
		JsonNode target = JSON.readTree("{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"1\",\"y\":\"2\"}},"
				+ "\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":80},{\"name\":\"dns\",\"port\":53}]}}");
		JsonNode patch = JSON.readTree("{\"metadata\":{\"labels\":{\"y\":null,\"z\":\"3\"}},"
				+ "\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":8080}]}}");
		assertThat(Merge.jsonMerge(target, patch)).isEqualTo(JSON.readTree("{\"metadata\":{\"name\":\"a\","
				+ "\"labels\":{\"x\":\"1\",\"z\":\"3\"}},\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":8080}]}}"));
	}

	@Test
	void strategicMergeMergesNamedListElementsAndDropsDirectives() throws Exception {
		JsonNode target = JSON.readTree("{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx\","
				+ "\"ports\":[{\"containerPort\":80}]},{\"name\":\"side\",\"image\":\"busybox\"}]}}");
		JsonNode patch = JSON.readTree("{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"web\"}],"
				+ "\"containers\":[{\"name\":\"web\",\"image\":\"nginx:2\"},{\"name\":\"side\",\"$patch\":\"delete\"},"
				+ "{\"name\":\"new\",\"image\":\"alpine\"}]}}");
		assertThat(Merge.strategicMerge(target, patch)).isEqualTo(JSON.readTree("{\"spec\":{\"containers\":["
				+ "{\"name\":\"web\",\"image\":\"nginx:2\",\"ports\":[{\"containerPort\":80}]},"
				+ "{\"name\":\"new\",\"image\":\"alpine\"}]}}"));
	}

	@Test
	void patchDoesNotChangeTheTarget() throws Exception {
		JsonNode target = JSON.readTree("{\"a\":{\"b\":1}}");
		Merge.jsonMerge(target, JSON.readTree("{\"a\":{\"b\":2}}"));
		assertThat(target).isEqualTo(JSON.readTree("{\"a\":{\"b\":1}}"));
	}

}
