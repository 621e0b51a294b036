package io.jcilium.agent.ipcache;

import java.net.InetAddress;

import io.jcilium.common.net.Cidr;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jcilium.agent.k8s.KubernetesConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the ipcache feed: prefixes of other nodes and their pods, merged per owner
 * ({@link IpcacheSync}) and written through {@link IpcacheUpdates} (the datapath's
 * ipcache map when the datapath is on).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
public class IpcacheConfiguration {

	private static final Logger log = LoggerFactory.getLogger(IpcacheConfiguration.class);

	@Bean
	IpcacheSync ipcacheSync(ObjectProvider<IpcacheUpdates> updates, Jobs agentJobs) {
		return new IpcacheSync(() -> updates.getIfAvailable(NoIpcacheUpdates::new), agentJobs);
	}

	@Bean
	MeterBinder ipcacheMetrics(IpcacheSync ipcacheSync) {
		return (registry) -> Gauge.builder("jcilium_ipcache_failed_writes", ipcacheSync, IpcacheSync::failedWrites)
			.description(
					"ipcache prefixes whose last write failed and wait for a retry (job " + IpcacheSync.RETRY_JOB + ")")
			.register(registry);
	}

	/** Stands in while no datapath cell is wired. */
	static final class NoIpcacheUpdates implements IpcacheUpdates {

		@Override
		public void upsert(Cidr prefix, long identity, InetAddress tunnelEndpoint) {
			log.debug("No datapath in this agent; ipcache {} -> {} dropped", prefix, identity);
		}

		@Override
		public void remove(Cidr prefix) {
		}

	}

}
