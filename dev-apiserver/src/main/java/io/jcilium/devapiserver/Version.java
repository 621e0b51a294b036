package io.jcilium.devapiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code /version}. It claims the Kubernetes minor version of the kubectl it was written
 * against (1.32), so kubectl prints no version-skew warning.
 */
final class Version {

	private Version() {
	}

	static ObjectNode document() {
		return Exchanges.JSON.createObjectNode()
			.put("major", "1")
			.put("minor", "32")
			.put("gitVersion", "v1.32.0-jcilium-dev")
			.put("gitCommit", "")
			.put("gitTreeState", "clean")
			.put("buildDate", "2026-01-01T00:00:00Z")
			.put("goVersion", "n/a (fabric8 mock server in CRUD mode)")
			.put("compiler", "n/a")
			.put("platform", "linux/amd64");
	}

}
