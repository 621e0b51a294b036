package io.jcilium.aot;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.SpringProperties;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the processing records and what a start is compared on: a property a condition
 * read with another value, set where it was unset, another cloud platform or other
 * profiles turn Spring AOT off for the start; ports, the process id and placeholder
 * defaults do not.
 */
class ProcessedEnvironmentTest {

	private static final List<String> READ = List.of("jcilium.agent.hubble.enabled", "jcilium.datapath.enabled",
			"server.port", "spring.application.pid", "JCILIUM_HUBBLE_ENABLED:true");

	@TempDir
	Path dir;

	@AfterEach
	void aotFlagCleared() {
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
		System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
	}

	@Test
	void whatWasReadIsStoredWithItsValueOrAsUnsetAndReadBack() throws IOException {
		ProcessedEnvironment processed = ProcessedEnvironment.of(READ, processingEnvironment());
		String stored = processed.store();
		assertThat(stored).contains("set.jcilium.agent.hubble.enabled=true", "unset.jcilium.datapath.enabled=",
				"cloud-platform=none", "profiles=");
		assertThat(stored).doesNotContain("server.port", "spring.application.pid", "JCILIUM_HUBBLE_ENABLED");

		ProcessedEnvironment loaded = ProcessedEnvironment.load(jarHolding(stored));
		assertThat(loaded.size()).isEqualTo(2);
		assertThat(loaded.differences(processingEnvironment())).isEmpty();
	}

	@Test
	void portsTheProcessIdAndNoCloudPlatformSaidExplicitlyDifferWithoutConsequence() {
		ProcessedEnvironment processed = ProcessedEnvironment.of(READ, processingEnvironment());
		MockEnvironment start = processingEnvironment().withProperty("server.port", "31000")
			.withProperty("spring.main.cloud-platform", "none")
			.withProperty("spring.application.pid", "4242")
			.withProperty("spring.application.version", "0.1.0-SNAPSHOT");
		assertThat(processed.differences(start)).isEmpty();
	}

	@Test
	void aSwitchWithAnotherValueOrSetWhereItWasUnsetIsADifference() {
		ProcessedEnvironment processed = ProcessedEnvironment.of(READ, processingEnvironment());
		MockEnvironment start = processingEnvironment().withProperty("jcilium.agent.hubble.enabled", "false")
			.withProperty("jcilium.datapath.enabled", "true");
		assertThat(processed.differences(start)).containsExactly(
				"jcilium.agent.hubble.enabled is 'false' here, 'true' when processed",
				"jcilium.datapath.enabled is 'true' here, unset when processed");
	}

	@Test
	void anotherCloudPlatformOrOtherProfilesAreDifferences() {
		ProcessedEnvironment processed = ProcessedEnvironment.of(READ, processingEnvironment());
		MockEnvironment inCluster = processingEnvironment().withProperty("spring.main.cloud-platform", "kubernetes");
		assertThat(processed.differences(inCluster))
			.containsExactly("the cloud platform is KUBERNETES here, none when processed");
		MockEnvironment profiled = processingEnvironment();
		profiled.setActiveProfiles("lab");
		assertThat(processed.differences(profiled))
			.containsExactly("the active profiles are [lab] here, [] when processed");
	}

	@Test
	void aStartThatDiffersTurnsSpringAotOffAndOneThatMatchesKeepsIt() throws IOException {
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new org.springframework.core.io.DefaultResourceLoader(
				jarHolding(ProcessedEnvironment.of(READ, processingEnvironment()).store())));
		ProcessedEnvironmentCheck check = new ProcessedEnvironmentCheck(this::log);

		SpringProperties.setProperty(AotDetector.AOT_ENABLED, "true");
		check.postProcessEnvironment(processingEnvironment().withProperty("server.port", "1"), application);
		assertThat(AotDetector.useGeneratedArtifacts()).isTrue();

		check.postProcessEnvironment(processingEnvironment().withProperty("jcilium.datapath.enabled", "true"),
				application);
		assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
	}

	@Test
	void aJarWithoutTheRecordTurnsSpringAotOff() {
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new org.springframework.core.io.DefaultResourceLoader(
				new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())));
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, "true");
		new ProcessedEnvironmentCheck(this::log).postProcessEnvironment(processingEnvironment(), application);
		assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
	}

	@Test
	void theProcessingPutsTheRecorderFirstAndItRemembersWhatWasAsked() {
		System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
		MockEnvironment environment = processingEnvironment();
		new ProcessedEnvironmentCheck(this::log).postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().iterator().next()).isInstanceOf(LookupRecorder.class);
		assertThat(environment.getProperty("jcilium.agent.hubble.enabled")).isEqualTo("true");
		LookupRecorder recorder = (LookupRecorder) environment.getPropertySources().get(LookupRecorder.NAME);
		assertThat(recorder.names()).containsExactly("jcilium.agent.hubble.enabled");
	}

	private Log log(java.util.function.Supplier<Log> destination) {
		return LogFactory.getLog(ProcessedEnvironmentTest.class);
	}

	private static MockEnvironment processingEnvironment() {
		return new MockEnvironment().withProperty("jcilium.agent.hubble.enabled", "true");
	}

	private ClassLoader jarHolding(String stored) throws IOException {
		Path file = this.dir.resolve(ProcessedEnvironment.RESOURCE);
		Files.createDirectories(file.getParent());
		Files.writeString(file, stored);
		return new URLClassLoader(new URL[] { this.dir.toUri().toURL() }, ClassLoader.getPlatformClassLoader());
	}

}
