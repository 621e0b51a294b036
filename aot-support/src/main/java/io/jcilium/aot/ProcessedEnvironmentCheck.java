package io.jcilium.aot;

import java.util.List;

import org.apache.commons.logging.Log;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Runs once the environment is complete (last of the environment post-processors), before
 * the application context is created. While the build processes the service ahead of time
 * it puts a {@link LookupRecorder} first in the environment. When a start asks for the
 * processed start-up ({@code -Dspring.aot.enabled=true}) it compares the environment with
 * the one processed ({@link ProcessedEnvironment}) and, where any property the conditions
 * read differs, turns Spring AOT off for this start, saying which: the service then
 * starts the regular way, with every condition evaluated, slower and correct.
 */
class ProcessedEnvironmentCheck implements EnvironmentPostProcessor, Ordered {

	private final Log log;

	ProcessedEnvironmentCheck(DeferredLogFactory logs) {
		this.log = logs.getLog(ProcessedEnvironmentCheck.class);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
			environment.getPropertySources().addFirst(new LookupRecorder());
			return;
		}
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		ProcessedEnvironment processed = ProcessedEnvironment.load(application.getClassLoader());
		List<String> differences = (processed != null) ? processed.differences(environment)
				: List.of("this jar holds no " + ProcessedEnvironment.RESOURCE);
		if (differences.isEmpty()) {
			this.log
				.debug("Spring AOT on: the " + processed.size() + " properties the conditions read are as processed");
			return;
		}
		// Spring's local setting (spring.properties') wins over the system property.
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, "false");
		this.log
			.info("Spring AOT off for this start (the regular, slower start-up): " + String.join("; ", differences));
	}

}
