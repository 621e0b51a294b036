package io.jcilium.agent.datapath.lb;

import java.nio.file.Files;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import io.jcilium.agent.datapath.DatapathConfiguration;
import io.jcilium.agent.datapath.DatapathProperties;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.jobs.AgentJobsConfiguration;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.service.lb.LbMaps;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's wiring of the LB datapath: with the datapath on, the LB maps are pinned
 * under the agent's bpffs directory and the eight socket programs are attached to the
 * configured cgroup (a test cgroup here, never the host's root) through pinned links;
 * closing the context (an agent restart) leaves them attached, uninstalling detaches
 * every one of them. With node devices configured, the tc LB is attached to each and
 * detached on stop; a device that does not exist fails the start naming it.
 */
class LbDatapathIT {

	@Test
	void startingPinsTheLbMapsAndAttachesSocketLbWhichStaysAttachedAfterTheStopUntilUninstalled() {
		KernelRequirements.requireBpfAndTools("bpftool");
		String prefix = "jcilium-it-lb-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
		BpffsLayout layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, prefix);
		AtomicReference<LbDatapath> stopped = new AtomicReference<>();
		try (TestCgroup cgroup = TestCgroup.create()) {
			new ApplicationContextRunner()
				.withUserConfiguration(PropertiesOnly.class, AgentJobsConfiguration.class, DatapathConfiguration.class,
						LbDatapathConfiguration.class)
				.withPropertyValues("jcilium.datapath.enabled=true", "jcilium.datapath.prefix=" + prefix,
						"jcilium.service.cgroup-path=" + cgroup.path())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(LbMaps.class)).isInstanceOf(LbDatapath.class);
					assertThat(context.getBean(LbDatapath.class).isRunning()).isTrue();
					assertThat(Files.exists(layout.directory().resolve("lb_services"))).isTrue();
					assertThat(attached(cgroup)).contains("sock4_connect", "sock6_connect", "sock4_sendmsg",
							"sock6_sendmsg", "sock4_recvmsg", "sock6_recvmsg", "sock4_getpeername",
							"sock6_getpeername");
					Health ready = new SocketLbHealthIndicator(context.getBean(LbDatapath.class), null).health();
					assertThat(ready.getStatus()).isEqualTo(Status.UP);
					assertThat(ready.getDetails()).containsEntry("cgroup", cgroup.path().toString());
					stopped.set(context.getBean(LbDatapath.class));
				});
			// Stopped (an agent restart), the programs stay attached through their pinned
			// links; this agent's readiness says it is not running.
			assertThat(attached(cgroup)).contains("sock4_connect", "sock6_getpeername");
			assertThat(new SocketLbHealthIndicator(stopped.get(), null).health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(stopped.get().uninstall()).isEqualTo(SocketLb.HOOKS.size());
			assertThat(attached(cgroup)).doesNotContain("sock4_connect", "sock6_getpeername");
		}
		finally {
			try {
				SocketLb.detachPinned(TestLibbpf.get(), layout.directory().resolve(LbDatapath.LINK_DIRECTORY));
			}
			finally {
				layout.removeAll();
			}
		}
	}

	@Test
	void nodePortDevicesGetTheTcLoadBalancerAndLoseItOnStop() {
		KernelRequirements.requireBpfAndTools("ip", "tc");
		String prefix = "jcilium-it-lb-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
		BpffsLayout layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, prefix);
		try (PodTopology node = new PodTopology().createNode(); TestCgroup cgroup = TestCgroup.create()) {
			node.inNode("ip", "link", "add", "ext0", "type", "veth", "peer", "name", "ext0p");
			node.inNode("ip", "addr", "add", "192.0.2.1/24", "dev", "ext0");
			node.inNode("ip", "link", "set", "ext0", "up");
			ApplicationContextRunner runner = new ApplicationContextRunner()
				.withUserConfiguration(PropertiesOnly.class, AgentJobsConfiguration.class, DatapathConfiguration.class,
						LbDatapathConfiguration.class)
				.withPropertyValues("jcilium.datapath.enabled=true", "jcilium.datapath.prefix=" + prefix,
						"jcilium.service.cgroup-path=" + cgroup.path(), "jcilium.service.node-port-devices=ext0",
						"jcilium.service.algorithm=maglev", "jcilium.service.maglev-table-size=251");
			// the agent's thread lives in the node namespace, as an agent on a node would
			NetworkNamespace.call(node.nodeNamespacePath(), () -> {
				runner.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(node.inNode("tc", "filter", "show", "dev", "ext0", "ingress")).contains("from_netdev");
					assertThat(node.inNode("tc", "filter", "show", "dev", "ext0", "egress")).contains("to_netdev");
					assertThat(Files.exists(layout.directory().resolve("lb_nat_fwd"))).isTrue();
					assertThat(Files.exists(layout.directory().resolve("lb_maglev"))).isTrue();
				});
				return null;
			});
			assertThat(node.inNode("tc", "filter", "show", "dev", "ext0", "ingress")).doesNotContain("from_netdev");
			runner.withPropertyValues("jcilium.service.node-port-devices=nosuchdev0")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("node device nosuchdev0")
					.hasMessageContaining("does not exist"));
		}
		finally {
			layout.removeAll();
		}
	}

	private static String attached(TestCgroup cgroup) {
		PodTopology.Result result = PodTopology.tryRun("bpftool", "cgroup", "show", cgroup.path().toString());
		assertThat(result.exitCode()).as(result.output()).isZero();
		return result.output();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DatapathProperties.class)
	static class PropertiesOnly {

	}

}
