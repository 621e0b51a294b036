package io.jcilium.agent.cni;

import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the agent API.
 */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Json() {
	}

	static String quote(String text) {
		return MAPPER.writeValueAsString(text);
	}

}
