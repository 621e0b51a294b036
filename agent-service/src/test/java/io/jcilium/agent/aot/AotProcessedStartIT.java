package io.jcilium.agent.aot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's executable jar as the build made it, started as the scripts start it
 * ({@code -Dspring.aot.enabled=true}; no API server or identity-service answers, which it
 * retries): with the configuration the build processed it starts from the generated bean
 * definitions; with a switch the conditions read set otherwise it says so, names the
 * switch, and starts the regular way, with the beans that switch asks for.
 */
class AotProcessedStartIT {

	@TempDir
	Path dir;

	@Test
	void theProcessedConfigurationStartsFromTheGeneratedBeanDefinitions() throws Exception {
		String log = start();
		assertThat(log).contains("Starting AOT-processed AgentServiceApplication").doesNotContain("Spring AOT off");
		assertThat(log).contains("Registered gRPC service: observer.Observer");
	}

	@Test
	void aSwitchSetOtherwiseTurnsSpringAotOffSayingWhichAndTheRegularStartHonoursIt() throws Exception {
		String log = start("--jcilium.agent.hubble.enabled=false");
		assertThat(log).contains("Spring AOT off for this start",
				"jcilium.agent.hubble.enabled is 'false' here, 'true' when processed");
		assertThat(log).contains("Starting AgentServiceApplication").doesNotContain("AOT-processed");
		// Hubble off: its gRPC services are not registered (they are with the processed
		// configuration, where Hubble is on, above).
		assertThat(log).contains("Registered gRPC service: agent.v1.NodeStateService")
			.doesNotContain("Registered gRPC service: observer.Observer");
	}

	/**
	 * @return the agent's log once it has started (or ended), after it was stopped
	 */
	private String start(String... arguments) throws IOException, InterruptedException {
		String jar = System.getProperty("jcilium.agent-service.jar");
		assertThat(jar).as("system property jcilium.agent-service.jar (set by the agent's pom)").isNotNull();
		// An API server that refuses: the agent starts and retries.
		Path kubeconfig = this.dir.resolve("kubeconfig");
		Files.writeString(kubeconfig, """
				apiVersion: v1
				kind: Config
				clusters: [{name: none, cluster: {server: "http://127.0.0.1:1"}}]
				contexts: [{name: none, context: {cluster: none, user: none}}]
				users: [{name: none, user: {}}]
				current-context: none
				""");
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
						"-XX:+UseSerialGC", "-Xss512k", "-Dspring.aot.enabled=true", "-jar", jar, "--server.port=0",
						"--spring.grpc.server.port=0", "--jcilium.tls.enabled=false",
						"--jcilium.agent.node-name=aot-it", "--jcilium.agent.state-dir=" + this.dir.resolve("state"),
						"--jcilium.agent.cni.socket-path=" + this.dir.resolve("agent.sock"),
						"--jcilium.agent.identity.target=static://127.0.0.1:1"));
		command.addAll(List.of(arguments));
		Path output = this.dir.resolve("agent.log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		builder.environment().put("KUBECONFIG", kubeconfig.toString());
		builder.environment().remove("JCILIUM_TLS_ENABLED");
		Process process = builder.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		try {
			while (process.isAlive() && System.nanoTime() < deadline
					&& !Files.readString(output, StandardCharsets.UTF_8).contains("Started AgentServiceApplication")) {
				Thread.sleep(100);
			}
		}
		finally {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
		String log = Files.readString(output, StandardCharsets.UTF_8);
		assertThat(log).as("the agent's log").contains("Started AgentServiceApplication");
		return log;
	}

}
