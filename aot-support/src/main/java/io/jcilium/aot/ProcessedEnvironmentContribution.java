package io.jcilium.aot;

import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * At the end of the build's Spring AOT processing, when every condition has been
 * evaluated: stores the properties they read, with their values, as
 * {@link ProcessedEnvironment#RESOURCE} in the processed output (the jar), for
 * {@link ProcessedEnvironmentCheck} to compare at start.
 */
class ProcessedEnvironmentContribution implements BeanFactoryInitializationAotProcessor {

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		ConfigurableEnvironment environment = beanFactory.getBean(ConfigurableEnvironment.class);
		PropertySource<?> recorder = environment.getPropertySources().get(LookupRecorder.NAME);
		if (!(recorder instanceof LookupRecorder lookups)) {
			throw new IllegalStateException("Spring AOT processing ran without " + LookupRecorder.NAME
					+ " (io.jcilium.aot.ProcessedEnvironmentCheck did not run)");
		}
		environment.getPropertySources().remove(LookupRecorder.NAME);
		String content = ProcessedEnvironment.of(lookups.names(), environment).store();
		return (generation, code) -> generation.getGeneratedFiles()
			.addResourceFile(ProcessedEnvironment.RESOURCE, content);
	}

}
