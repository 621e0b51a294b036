package io.jcilium.agent.cni;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Agent API settings under {@code jcilium.agent.cni}.
 *
 * @param socketPath the unix socket the CNI plugin and the console talk to; the plugin
 * reads the same path from {@code JCILIUM_AGENT_SOCKET}
 * @param workerThreads concurrent API requests (pods created at once): an ADD holds its
 * worker until the endpoint is ready, mostly waiting, so a burst of pods needs one each
 * @param readTimeout how long a client may take to send a whole request
 * @param maxConnections connections open at once; more are answered 503
 */
@ConfigurationProperties("jcilium.agent.cni")
record CniProperties(@DefaultValue("/var/run/jcilium/agent.sock") Path socketPath,
		@DefaultValue("128") int workerThreads, @DefaultValue("10s") Duration readTimeout,
		@DefaultValue("256") int maxConnections) {

	AgentApiSettings settings() {
		return new AgentApiSettings(this.readTimeout, this.workerThreads, this.maxConnections);
	}

}
