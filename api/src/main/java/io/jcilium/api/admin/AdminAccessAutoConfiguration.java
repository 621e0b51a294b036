package io.jcilium.api.admin;

import java.util.function.UnaryOperator;

import jakarta.servlet.Filter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Keeps health and the admin endpoints of a service on the node's network on loopback
 * ({@link AdminAccessFilter}). Only services that name {@code jcilium.admin.access} get
 * it: the host-network ones (agent, bgp) set {@code loopback} in their own configuration;
 * a service in its own pod network namespace has no node network to hide from, and the
 * kubelet's probes reach it on its pod IP.
 */
@AutoConfiguration
@ConditionalOnClass(Filter.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnProperty(prefix = "jcilium.admin", name = "access")
@EnableConfigurationProperties(AdminAccessProperties.class)
public class AdminAccessAutoConfiguration {

	private static final Log logger = LogFactory.getLog(AdminAccessAutoConfiguration.class);

	@Bean
	AdminAccessFilter adminAccessFilter(AdminAccessProperties properties, Environment environment) {
		logger.info(startupLine(properties, environment::getProperty));
		return new AdminAccessFilter(properties.access() == AdminAccessProperties.Access.ANY, properties.remotePaths());
	}

	static String startupLine(AdminAccessProperties properties, UnaryOperator<String> settings) {
		String port = settings.apply("server.port");
		String where = "HTTP port " + ((port != null) ? port : "8080");
		if (properties.access() == AdminAccessProperties.Access.ANY) {
			return where + ": every endpoint (health, admin, writes such as POST /actuator/config) answers on every"
					+ " address, without authentication (jcilium.admin.access=any)";
		}
		return where + ": GET " + String.join(", ", properties.remotePaths())
				+ " on every address; health, probes and every admin endpoint on loopback only"
				+ " (jcilium.admin.access=loopback; 'any' opens them)";
	}

}
