package io.jcilium.agent.datapath.nat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import io.jcilium.agent.datapath.DatapathLifecycle;
import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.node.NodeCidrSource;
import io.jcilium.agent.service.ServiceProperties;
import io.jcilium.jobs.Jobs;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires masquerading when the datapath is on: on or off, it is written at every start so
 * a switch left pinned by an earlier run never outlives the setting. When on, the
 * cluster's pod CIDRs follow the CiliumNodes (or, without Kubernetes, this node's
 * configured pod CIDR).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jcilium.datapath.enabled", havingValue = "true")
@EnableConfigurationProperties({ MasqueradeProperties.class, ServiceProperties.class })
public class MasqueradeConfiguration {

	/** The repairing sweep of the cluster's pod CIDRs; events trigger it sooner. */
	private static final Duration CLUSTER_CIDR_RESYNC = Duration.ofMinutes(5);

	@Bean
	MasqueradeDatapath masqueradeDatapath(Libbpf libbpf, DatapathLifecycle datapath, ServiceProperties services,
			MasqueradeProperties properties) {
		return new MasqueradeDatapath(libbpf, () -> datapath.layout().directory(), services.nodePortDevices(),
				properties);
	}

	@Bean
	@ConditionalOnProperty(name = "jcilium.agent.masquerade.enabled", havingValue = "true")
	ClusterCidrSync masqueradeClusterCidrs(Libbpf libbpf, DatapathLifecycle datapath, NodeCidrSource localCidr,
			ObjectProvider<ClusterInformers> informers, Jobs agentJobs) {
		ClusterInformers cluster = informers.getIfAvailable();
		Supplier<Path> pins = () -> datapath.layout().directory();
		ClusterCidrSync sync = new ClusterCidrSync(localCidr,
				(cluster != null) ? cluster.ciliumNodes()::hasSynced : () -> true, (prefixes, removeOthers) -> {
					try (BpfMap trie = BpfMap.openPinned(libbpf, pins.get().resolve(MasqueradeMaps.CLUSTER_MAP))) {
						MasqueradeMaps.writePrefixes(trie, prefixes, removeOthers);
					}
				}, agentJobs, CLUSTER_CIDR_RESYNC);
		if (cluster != null) {
			cluster.ciliumNodes().addEventHandler(sync.handler());
		}
		return sync;
	}

}
