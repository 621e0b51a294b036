package io.jcilium.agent.datapath;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.datapath.events.DatapathEvent;
import io.jcilium.common.datapath.DropReason;
import io.jcilium.agent.datapath.events.EventType;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.loader.EndpointProgramLoader;
import io.jcilium.agent.datapath.loader.NodeMaps;
import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.jobs.AgentJobsConfiguration;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The datapath cell against the kernel: pinned shared maps created once and found again
 * after a restart, events from an endpoint program reaching the listeners, counters
 * exposed as upstream-named metrics.
 */
class DatapathLifecycleIT {

	private final BlockingQueue<DatapathEvent> events = new LinkedBlockingQueue<>();

	private DatapathProperties properties;

	private final Jobs jobs = new Jobs("test-datapath", 1);

	private DatapathLifecycle lifecycle;

	private EndpointProgram program;

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpf();
		String prefix = "jcilium-it-lc-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
		this.properties = new DatapathProperties(true, BpffsLayout.DEFAULT_ROOT, prefix, 60);
		this.lifecycle = new DatapathLifecycle(TestLibbpf.get(), this.properties, List.of(this.events::add), this.jobs);
	}

	@AfterEach
	void tearDown() {
		if (this.program != null) {
			this.program.close();
		}
		if (this.lifecycle != null) {
			this.lifecycle.stop();
			this.lifecycle.layout().removeAll();
		}
		this.jobs.close();
	}

	@Test
	void enabledCellStartsWithTheContextAndReleasesOnClose() {
		this.lifecycle = null;
		new ApplicationContextRunner()
			.withUserConfiguration(PropertiesOnly.class, AgentJobsConfiguration.class, DatapathConfiguration.class)
			.withPropertyValues("jcilium.datapath.enabled=true", "jcilium.datapath.prefix=" + this.properties.prefix())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DatapathLifecycle started = context.getBean(DatapathLifecycle.class);
				assertThat(started.isRunning()).isTrue();
				assertThat(context).hasSingleBean(DatapathMetrics.class);
				assertThat(context).hasSingleBean(Libbpf.class);
				assertThat(Files.exists(started.layout().sharedMap("ct"))).isTrue();
			});
		BpffsLayout layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, this.properties.prefix());
		assertThat(Files.exists(layout.sharedMap("ct"))).as("pins outlive the context").isTrue();
		layout.removeAll();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DatapathProperties.class)
	static class PropertiesOnly {

	}

	@Test
	void sharedMapsArePinnedAndSurviveARestart() {
		this.lifecycle.start();
		BpffsLayout layout = this.lifecycle.layout();
		for (String map : BpffsLayout.SHARED_MAPS) {
			assertThat(Files.exists(layout.sharedMap(map))).as(map + " pinned").isTrue();
		}
		this.lifecycle.maps().ipcache().put(Packets.parse("10.9.0.0"), 16, 4242, null);

		this.lifecycle.stop();
		assertThat(this.lifecycle.isRunning()).isFalse();
		this.lifecycle.start();

		assertThat(this.lifecycle.maps().ipcache().entries()).containsEntry(
				new DatapathStructs.IpcacheKey(Packets.parse("10.9.0.0"), 16),
				new DatapathStructs.RemoteEndpointInfo(4242, null, 0));
	}

	@Test
	@SuppressWarnings("unchecked")
	void bpfViewReadsWhatTheKernelHolds() throws Exception {
		BpfMapsEndpoint view = new BpfMapsEndpoint(this.lifecycle::maps);
		assertThat(view.map("ipcache").getStatus()).as("datapath stopped").isEqualTo(503);
		this.lifecycle.start();
		NodeMaps maps = this.lifecycle.maps();
		maps.ipcache().put(Packets.parse("10.9.0.0"), 16, 4242, (java.net.Inet4Address) Packets.parse("192.168.56.12"));
		maps.endpoints()
			.put(Packets.parse("10.9.1.7"), new DatapathStructs.EndpointInfo(31, 7, 0, new byte[] { 2, 0, 0, 0, 0, 7 },
					new byte[] { 2, 0, 0, 0, 0, 1 }, 1007));
		maps.conntrack()
			.put(new DatapathStructs.CtKey(Packets.parse("10.9.2.2"), Packets.parse("10.9.1.7"), 80, 40000, 6, 0, 7),
					new DatapathStructs.CtEntry(3, 180, 2, 120, MonotonicClock.nowSeconds() + 3600, 1007, 0, 1));

		List<BpfMapRows.Ipcache> ipcache = (List<BpfMapRows.Ipcache>) view.map("ipcache").getBody();
		assertThat(ipcache).contains(new BpfMapRows.Ipcache("10.9.0.0/16", 4242, "192.168.56.12", 0));
		assertThat((List<BpfMapRows.Endpoint>) view.map("endpoint").getBody())
			.contains(new BpfMapRows.Endpoint("10.9.1.7", 7, 1007, 0, 31, "02:00:00:00:00:07", "02:00:00:00:00:01"));
		assertThat((List<BpfMapRows.Conntrack>) view.map("ct").getBody()).singleElement().satisfies((ct) -> {
			assertThat(ct.protocol()).isEqualTo("TCP");
			assertThat(ct.direction()).isEqualTo("OUT");
			assertThat(ct.source()).isEqualTo("10.9.1.7:40000");
			assertThat(ct.destination()).isEqualTo("10.9.2.2:80");
			assertThat(ct.expiresInSeconds()).isBetween(3000L, 3600L);
			assertThat(ct.rxBytes()).isEqualTo(120);
		});
		assertThat(view.map("policy").getStatus()).isEqualTo(404);
		assertThat(view.map("metrics").getStatus()).isEqualTo(200);
	}

	@Test
	void endpointDropsReachListenersAndMetrics() throws InterruptedException {
		this.lifecycle.start();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new DatapathMetrics(this.lifecycle::metrics).bindTo(registry);
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), this.lifecycle.layout());
		this.program = loader.load(new DatapathStructs.LxcConfig(5, 1005, 1, 0));
		Path policyPin = this.lifecycle.layout().policyMap(5);
		assertThat(Files.exists(policyPin)).as("per-endpoint policy map pinned").isTrue();

		// no policy entries: default deny
		this.program.toContainer().testRun(Packets.udp("10.9.1.1", "10.9.2.2", 1000, 2000), 1);

		DatapathEvent event = this.events.poll(5, TimeUnit.SECONDS);
		while (event != null && event.type() != EventType.DROP) {
			event = this.events.poll(5, TimeUnit.SECONDS);
		}
		assertThat(event).as("drop event delivered to the listener").isNotNull();
		assertThat(event.dropReason()).isEqualTo(DropReason.POLICY_DENIED);
		assertThat(event.destinationIdentity()).isEqualTo(1005);
		assertThat(registry.get("cilium_drop_count")
			.tag("reason", "POLICY_DENIED")
			.tag("direction", "INGRESS")
			.functionCounter()
			.count()).isEqualTo(1.0);
		@SuppressWarnings("unchecked")
		List<BpfMapRows.Metrics> metrics = (List<BpfMapRows.Metrics>) new BpfMapsEndpoint(this.lifecycle::maps)
			.map("metrics")
			.getBody();
		assertThat(metrics).anySatisfy((row) -> {
			assertThat(row.description()).isEqualTo("Policy denied");
			assertThat(row.direction()).isEqualTo("INGRESS");
			assertThat(row.packets()).isEqualTo(1);
		});
	}

}
