package io.jcilium.agent.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the agent API.
 */
final class Json {

	// Jackson 2 (the agent's only Jackson), refusing what follows the document as the
	// Jackson 3 mapper before it did: a network config with trailing bytes is not JSON.
	static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private Json() {
	}

	static String quote(String text) {
		return write(text);
	}

	/** Loads the parser's classes (a small ADD result read once). */
	static void warmUp() {
		try {
			MAPPER.readTree("{\"cniVersion\":\"1.0.0\",\"ips\":[]}");
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("the agent API's JSON parser is broken", ex);
		}
	}

	/** The value as JSON; values of the agent API always serialize. */
	static String write(Object value) {
		try {
			return MAPPER.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", ex);
		}
	}

}
