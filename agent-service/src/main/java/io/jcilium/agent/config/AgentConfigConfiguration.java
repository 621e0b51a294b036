package io.jcilium.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The configuration endpoint, over every {@code jcilium.*} configuration properties bean
 * of the agent as bound at start.
 */
@Configuration(proxyBeanMethods = false)
public class AgentConfigConfiguration {

	@Bean
	AgentConfigEndpoint agentConfigEndpoint(ApplicationContext context, LoggingSystem logging) {
		List<Map.Entry<String, Object>> properties = new ArrayList<>();
		ConfigurationPropertiesBean.getAll(context).values().forEach((bean) -> {
			String prefix = bean.getAnnotation().prefix();
			if (prefix.startsWith("jcilium.")) {
				properties.add(Map.entry(prefix, bean.getInstance()));
			}
		});
		return new AgentConfigEndpoint(properties, logging);
	}

}
