package io.jcilium.agent.datapath;

import io.jcilium.agent.datapath.events.DatapathEventListener;
import io.jcilium.agent.datapath.events.FlowForwarder;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.hubble.FlowSink;
import io.jcilium.jobs.Jobs;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the datapath cell: the lifecycle that owns the node's pinned maps and event
 * reader, and its metrics. Only with {@code jcilium.datapath.enabled=true}: it needs root
 * (CAP_BPF, CAP_NET_ADMIN), libbpf and bpffs.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jcilium.datapath.enabled", havingValue = "true")
public class DatapathConfiguration {

	/**
	 * The one libbpf of the agent: loaded here, passed to everything that opens BPF
	 * objects, pinned maps or tc hooks.
	 * @return the loaded library
	 */
	@Bean
	Libbpf libbpf() {
		return Libbpf.load();
	}

	@Bean
	DatapathLifecycle datapathLifecycle(Libbpf libbpf, DatapathProperties properties,
			ObjectProvider<DatapathEventListener> listeners, Jobs agentJobs) {
		return new DatapathLifecycle(libbpf, properties, listeners.orderedStream().toList(), agentJobs);
	}

	/**
	 * The datapath's events as Hubble flows, for the sinks that exist (none when Hubble
	 * is switched off).
	 * @param sinks Hubble's flow sinks
	 * @return the listener
	 */
	@Bean
	FlowForwarder flowForwarder(ObjectProvider<FlowSink> sinks) {
		return new FlowForwarder(() -> sinks.orderedStream().toList(), MonotonicClock::nowNanos);
	}

	@Bean
	DatapathMetrics datapathMetrics(DatapathLifecycle lifecycle) {
		return new DatapathMetrics(lifecycle::metrics);
	}

	@Bean
	BpfMapsEndpoint bpfMapsEndpoint(DatapathLifecycle lifecycle) {
		return new BpfMapsEndpoint(lifecycle::maps);
	}

}
