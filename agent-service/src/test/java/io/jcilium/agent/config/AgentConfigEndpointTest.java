package io.jcilium.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.logging.LoggingSystem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cilium-dbg config} on the agent: options bound at start listed read-only by the
 * property that sets them (nested records flattened, secrets masked), and {@code Debug}
 * turned on and off while the agent runs, changing what the agent's loggers write.
 */
class AgentConfigEndpointTest {

	private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

	private final AgentConfigEndpoint endpoint = new AgentConfigEndpoint(
			List.of(Map.entry("jcilium.agent.sample",
					new Sample("tunnel", Duration.ofSeconds(120), Path.of("/var/run/jcilium"), List.of("a", "b"),
							new Nested(true, 4095), "s3cr3t")),
					Map.entry("jcilium.agent", new Other("node-1"))),
			this.logging);

	@AfterEach
	void resetLevel() {
		this.logging.setLogLevel(AgentConfigEndpoint.AGENT_LOGGER, null);
	}

	@Test
	void readOnlyOptionsAreTheBoundPropertiesByTheirNames() {
		Map<Object, Object> readOnly = new HashMap<>((Map<?, ?>) this.endpoint.config().get("readOnly"));

		assertThat(readOnly).containsEntry("jcilium.agent.sample.routing-mode", "tunnel")
			.containsEntry("jcilium.agent.sample.pod-cidr-wait", "PT2M")
			.containsEntry("jcilium.agent.sample.state-dir", "/var/run/jcilium")
			.containsEntry("jcilium.agent.sample.pools", List.of("a", "b"))
			.containsEntry("jcilium.agent.sample.hubble.enabled", true)
			.containsEntry("jcilium.agent.sample.hubble.ring-capacity", 4095)
			.containsEntry("jcilium.agent.sample.redis-password", "******")
			.containsEntry("jcilium.agent.node-name", "node-1")
			.as("a second bean under a prefix another one shares")
			.hasSize(8);
	}

	@Test
	void debugTurnsTheAgentsLoggersToDebugAndBack() {
		assertThat(LoggerFactory.getLogger("io.jcilium.agent.x").isDebugEnabled()).isFalse();

		WebEndpointResponse<Object> on = this.endpoint.set("Debug", "Enabled");

		assertThat(on.getStatus()).isEqualTo(200);
		assertThat(((Map<?, ?>) this.endpoint.config().get("readWrite")).get("Debug")).isEqualTo("Enabled");
		assertThat(LoggerFactory.getLogger("io.jcilium.agent.x").isDebugEnabled()).isTrue();

		this.endpoint.set("Debug", "disabled");

		assertThat(((Map<?, ?>) this.endpoint.config().get("readWrite")).get("Debug")).isEqualTo("Disabled");
		assertThat(LoggerFactory.getLogger("io.jcilium.agent.x").isDebugEnabled()).isFalse();
	}

	@Test
	void anOptionThatCannotChangeOrABadValueIsRefusedSayingWhat() {
		WebEndpointResponse<Object> readOnly = this.endpoint.set("jcilium.agent.sample.routing-mode", "native");
		WebEndpointResponse<Object> unknown = this.endpoint.set("Conntrack", "Enabled");
		WebEndpointResponse<Object> badValue = this.endpoint.set("Debug", "loud");

		assertThat(readOnly.getStatus()).isEqualTo(400);
		assertThat(message(readOnly)).isEqualTo("option 'jcilium.agent.sample.routing-mode' cannot change while the "
				+ "agent runs; the one that can: Debug (jcilium.agent.sample.routing-mode is read-only: set it at start)");
		assertThat(message(unknown)).startsWith("option 'Conntrack' cannot change while the agent runs");
		assertThat(badValue.getStatus()).isEqualTo(400);
		assertThat(message(badValue)).isEqualTo("Debug takes Enabled or Disabled, not 'loud'");
		assertThat(((Map<?, ?>) this.endpoint.config().get("readWrite")).get("Debug")).isEqualTo("Disabled");
	}

	private static String message(WebEndpointResponse<Object> response) {
		return (String) ((Map<?, ?>) response.getBody()).get("message");
	}

	record Sample(String routingMode, Duration podCidrWait, Path stateDir, List<String> pools, Nested hubble,
			String redisPassword) {

	}

	record Nested(boolean enabled, int ringCapacity) {

	}

	record Other(String nodeName) {

	}

}
