package io.jcilium.agent.datapath.lb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.common.net.Protocol;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.FrontendKind;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbFrontend;
import io.jcilium.agent.service.lb.LbMaps;
import io.jcilium.agent.service.lb.LbProgrammer;
import io.jcilium.agent.service.lb.Scope;
import io.jcilium.agent.service.lb.ServiceName;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent restart on real sockets: the LB datapath with its maps pinned, as the agent
 * runs it, socket programs on a test cgroup, python clients in a pod namespace, backends
 * in others. While the agent is stopped, the socket programs stay attached through their
 * pinned links and ClusterIP connects are still translated; the restarted agent takes the
 * links over (one set of programs stays attached) and uninstalling detaches them. After
 * the restart and before the services are synced, ClusterIP connects are still translated
 * from the pinned maps (the readiness indicator says the services are not synced yet);
 * once synced, a changed service has its new backends and a service deleted meanwhile is
 * gone from the maps.
 */
class LbRestartIT {

	private static final ServiceName KEPT = new ServiceName("test", "kept");

	private static final ServiceName DELETED = new ServiceName("test", "deleted");

	/** Each socket program once. */
	private static final Map<String, Long> ONE_SET = SocketLb.HOOKS.stream()
		.collect(Collectors.toMap(SocketLb.Hook::program, (hook) -> 1L));

	@Test
	void clusterIpConnectsAreTranslatedAcrossARestartBeforeServicesAreSyncedAndStaleServicesGoAfter() throws Exception {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "python3", "bpftool");
		String prefix = "jcilium-it-lbr-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
		BpffsLayout layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, prefix);
		try (PodTopology topology = new PodTopology().createNode();
				Backends backends = new Backends();
				TestCgroup cgroup = TestCgroup.create()) {
			PodTopology.Pod a = topology.addPod("a", "10.202.0.1");
			PodTopology.Pod b = topology.addPod("b", "10.202.0.2");
			PodTopology.Pod c = topology.addPod("c", "10.202.0.3");
			PodTopology.Pod client = topology.addPod("z", "10.202.0.9");
			for (PodTopology.Pod pod : List.of(a, b, c)) {
				backends.tcp(pod, 8080);
			}
			Clients clients = new Clients(cgroup);

			LbDatapath first = datapath(layout, cgroup);
			first.start();
			try {
				LbProgrammer programmer = new LbProgrammer(first);
				programmer.apply(KEPT, List.of(clusterIp("10.96.202.10", a, b)));
				programmer.apply(DELETED, List.of(clusterIp("10.96.202.11", c)));
				assertThat(answered(clients.run(client.namespace(), "tcp", "10.96.202.10", 80, 20)))
					.containsExactlyInAnyOrder("a", "b");
			}
			finally {
				first.stop();
			}
			List<Clients.Result> whileStopped = clients.run(client.namespace(), "tcp", "10.96.202.10", 80, 10);
			assertThat(whileStopped).as("connects to a ClusterIP while the agent is stopped")
				.allMatch((r) -> r.error() == null, "connected");
			assertThat(answered(whileStopped)).containsExactlyInAnyOrder("a", "b");
			assertThat(attachedCounts(cgroup)).as("attached while stopped").isEqualTo(ONE_SET);
			Map<String, Object> pinsBefore = linkPins(layout);

			LbDatapath restarted = datapath(layout, cgroup);
			restarted.start();
			try {
				assertThat(attachedCounts(cgroup)).as("attached after the restart: taken over, not added")
					.isEqualTo(ONE_SET);
				assertThat(linkPins(layout)).as("the same pinned links, their programs swapped").isEqualTo(pinsBefore);
				LbProgrammer programmer = new LbProgrammer(restarted);
				// what the service reconciler's first run does, before any service is
				// known
				programmer.restore();
				List<Clients.Result> beforeSync = clients.run(client.namespace(), "tcp", "10.96.202.10", 80, 10);
				assertThat(beforeSync).as("connects to a ClusterIP before the services are synced")
					.allMatch((r) -> r.error() == null, "connected");
				assertThat(answered(beforeSync)).containsExactlyInAnyOrder("a", "b");
				assertThat(answered(clients.run(client.namespace(), "tcp", "10.96.202.11", 80, 3)))
					.containsExactly("c");
				Health starting = new SocketLbHealthIndicator(restarted, programmer).health();
				assertThat(starting.getStatus()).isEqualTo(Status.DOWN);
				assertThat(starting.getDetails()).containsEntry("restoredFrontends", 2);

				// synced: kept now has a and c; deleted is gone from the API server
				programmer.apply(KEPT, List.of(clusterIp("10.96.202.10", a, c)));
				assertThat(programmer.finishRestore()).isOne();
				assertThat(answered(clients.run(client.namespace(), "tcp", "10.96.202.10", 80, 20)))
					.containsExactlyInAnyOrder("a", "c");
				LbMaps.Contents left = restarted.contents();
				assertThat(left.masters().keySet()).extracting((key) -> key.address().toString())
					.containsExactly("10.96.202.10:80/TCP");
				assertThat(left.slots().keySet()).extracting((key) -> key.address().toString())
					.containsExactly("10.96.202.10:80/TCP");
				assertThat(left.backends().values()).extracting((backend) -> backend.address().getHostAddress())
					.containsExactlyInAnyOrder("10.202.0.1", "10.202.0.3");
				assertThat(left.reverseNat()).hasSize(1);
				assertThat(new SocketLbHealthIndicator(restarted, programmer).health().getStatus())
					.isEqualTo(Status.UP);
			}
			finally {
				restarted.stop();
			}
			assertThat(restarted.uninstall()).as("links detached by the uninstall").isEqualTo(SocketLb.HOOKS.size());
			assertThat(attachedCounts(cgroup)).as("attached after the uninstall").isEmpty();
			assertThat(layout.directory().resolve(LbDatapath.LINK_DIRECTORY)).doesNotExist();
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

	/**
	 * The link pins' inodes: a link replaced instead of taken over is pinned anew.
	 */
	private static Map<String, Object> linkPins(BpffsLayout layout) throws IOException {
		Map<String, Object> inodes = new TreeMap<>();
		for (SocketLb.Hook hook : SocketLb.HOOKS) {
			Path pin = layout.directory().resolve(LbDatapath.LINK_DIRECTORY).resolve(hook.program());
			inodes.put(hook.program(), Files.getAttribute(pin, "unix:ino"));
		}
		return inodes;
	}

	/**
	 * How often each program is attached to the cgroup, from {@code bpftool cgroup show}.
	 */
	private static Map<String, Long> attachedCounts(TestCgroup cgroup) {
		PodTopology.Result result = PodTopology.tryRun("bpftool", "cgroup", "show", cgroup.path().toString());
		assertThat(result.exitCode()).as(result.output()).isZero();
		Set<String> programs = SocketLb.HOOKS.stream().map(SocketLb.Hook::program).collect(Collectors.toSet());
		return result.output()
			.lines()
			.map((line) -> line.trim().split("\\s+"))
			.map((fields) -> fields[fields.length - 1])
			.filter(programs::contains)
			.collect(Collectors.groupingBy((name) -> name, Collectors.counting()));
	}

	private static LbDatapath datapath(BpffsLayout layout, TestCgroup cgroup) {
		return new LbDatapath(TestLibbpf.get(), layout::directory, new SocketLb.MapSizes(64, 64, 64), true,
				cgroup.path(), LbDatapath.HostSettings.NONE);
	}

	private static LbFrontend clusterIp(String vip, PodTopology.Pod... pods) {
		List<L4Address> addresses = java.util.Arrays.stream(pods)
			.map((pod) -> L4Address.of(pod.address(), 8080, Protocol.TCP))
			.toList();
		return new LbFrontend(new FrontendKey(L4Address.of(vip, 80, Protocol.TCP), Scope.EXTERNAL),
				FrontendKind.CLUSTER_IP, FrontendKind.CLUSTER_IP.flag(), 0, addresses);
	}

	private static Set<String> answered(List<Clients.Result> results) {
		return results.stream().map(Clients.Result::backend).collect(Collectors.toSet());
	}

}
