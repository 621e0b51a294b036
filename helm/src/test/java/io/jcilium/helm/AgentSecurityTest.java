package io.jcilium.helm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.map;
import static io.jcilium.helm.YamlPath.named;
import static io.jcilium.helm.YamlPath.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent DaemonSet's security contexts as rendered by default: the agent with its five
 * capabilities and not privileged (upstream's default), the host mounts an unprivileged
 * agent needs instead, and every init container that needs more than none saying why.
 */
class AgentSecurityTest {

	private static final String DAEMON_SET = "jcilium-agent";

	@Test
	void theAgentIsNotPrivilegedAndHasExactlyItsFiveCapabilities() {
		Map<String, Object> agent = agentContainer(RenderedChart.renderDefaults());

		assertThat(at(agent, "securityContext.privileged")).isEqualTo(false);
		assertThat(strings(agent, "securityContext.capabilities.add")).containsExactly("NET_ADMIN", "SYS_ADMIN", "BPF",
				"PERFMON", "SYS_RESOURCE");
		assertThat(strings(agent, "securityContext.capabilities.drop")).containsExactly("ALL");
		// The API server rejects Bidirectional propagation for unprivileged containers.
		assertThat(named(list(agent, "volumeMounts"), "bpf-maps").get("mountPropagation")).isEqualTo("HostToContainer");
	}

	@Test
	void privilegedStaysAnOption() {
		Map<String, Object> agent = agentContainer(
				RenderedChart.render(Map.of("agent.securityContext.privileged", true)));

		assertThat(at(agent, "securityContext.privileged")).isEqualTo(true);
		assertThat(at(agent, "securityContext.capabilities")).isNull();
		assertThat(named(list(agent, "volumeMounts"), "bpf-maps").get("mountPropagation")).isEqualTo("Bidirectional");
	}

	@Test
	void theAgentWritesSysctlsAndAttachesSocketLbThroughTheHostsMounts() {
		RenderedChart chart = RenderedChart.renderDefaults();
		Map<String, Object> pod = map(chart.get("DaemonSet", DAEMON_SET), "spec.template.spec");
		List<Map<String, Object>> volumes = list(pod, "volumes");
		List<Map<String, Object>> mounts = list(agentContainer(chart), "volumeMounts");

		// NodeLinkFiles writes the host ends' sysctls there when it is mounted.
		assertThat(at(named(volumes, "host-proc-sys-net"), "hostPath.path")).isEqualTo("/proc/sys/net");
		assertThat(named(mounts, "host-proc-sys-net").get("mountPath")).isEqualTo("/host/proc/sys/net");

		assertThat(at(named(volumes, "cgroup-root"), "hostPath.path")).isEqualTo("/run/jcilium/cgroupv2");
		assertThat(named(mounts, "cgroup-root")).containsEntry("mountPath", "/host/cgroupv2")
			.containsEntry("mountPropagation", "HostToContainer");
		assertThat(at(ServiceConfig.of(chart, "agent"), "jcilium.service.cgroup-path")).isEqualTo("/host/cgroupv2");
	}

	@Test
	void noMountOfTheAgentLiesInsideAnother() {
		// Runtimes order a container's mounts by the depth of the path as written (podman
		// not even stably), not by where it resolves: with the state directory at
		// /var/run
		// and the cgroup at /run/jcilium/cgroupv2 (/var/run is /run in the image), half
		// the
		// image test's runs mounted the state directory over the cgroup and hid it.
		List<String> paths = list(agentContainer(RenderedChart.renderDefaults()), "volumeMounts").stream()
			.map((mount) -> (String) mount.get("mountPath"))
			.toList();
		// Nesting is safe only when the inner path is deeper as written (e.g. the TLS
		// material inside the config directory): then every runtime mounts it second.
		for (String outer : paths) {
			for (String inner : paths) {
				if (!inner.equals(outer) && resolved(inner).startsWith(resolved(outer) + "/")) {
					assertThat(depth(inner)).as("%s inside %s", inner, outer).isGreaterThan(depth(outer));
				}
			}
		}
	}

	private static long depth(String path) {
		return path.chars().filter((c) -> c == '/').count();
	}

	/** A mount path as it resolves in the agent image, where /var/run links to /run. */
	private static String resolved(String path) {
		return path.startsWith("/var/run/") ? path.substring("/var".length()) : path;
	}

	@Test
	void theCgroupRootFollowsTheValueAndWithoutTheDatapathIsNotMounted() {
		RenderedChart moved = RenderedChart
			.render(Map.of("agent.cgroup.hostRoot", "/sys/fs/cgroup", "agent.cgroup.autoMount.enabled", false));
		Map<String, Object> pod = map(moved.get("DaemonSet", DAEMON_SET), "spec.template.spec");
		assertThat(at(named(list(pod, "volumes"), "cgroup-root"), "hostPath.path")).isEqualTo("/sys/fs/cgroup");
		assertThat(at(ServiceConfig.of(moved, "agent"), "jcilium.service.cgroup-path")).isEqualTo("/host/cgroupv2");
		assertThat(list(pod, "initContainers")).noneMatch((init) -> "mount-cgroup".equals(init.get("name")));

		RenderedChart noDatapath = RenderedChart
			.render(Map.of("agent.datapath.enabled", false, "routingMode", "native"));
		Map<String, Object> plain = map(noDatapath.get("DaemonSet", DAEMON_SET), "spec.template.spec");
		assertThat(list(plain, "volumes")).noneMatch((volume) -> "cgroup-root".equals(volume.get("name")));
		assertThat(list(plain, "initContainers")).noneMatch((init) -> "mount-cgroup".equals(init.get("name")));
	}

	@Test
	void initContainersGetNothingUnlessTheyNeedItAndThoseThatDoSayWhy() {
		String manifests = RenderedChart.renderText(Map.of());
		List<Map<String, Object>> inits = list(RenderedChart.parse(manifests).get("DaemonSet", DAEMON_SET),
				"spec.template.spec.initContainers");

		Map<String, Object> granted = new LinkedHashMap<>();
		for (Map<String, Object> init : inits) {
			String name = (String) init.get("name");
			if (Boolean.TRUE.equals(at(init, "securityContext.privileged"))) {
				granted.put(name, "privileged");
			}
			else {
				assertThat(at(init, "securityContext.privileged")).as(name).isNotEqualTo(true);
				assertThat(strings(init, "securityContext.capabilities.drop")).as(name).containsExactly("ALL");
				Object add = at(init, "securityContext.capabilities.add");
				if (add != null) {
					granted.put(name, add);
				}
			}
		}
		assertThat(granted).containsExactly(Map.entry("mount-bpf-fs", "privileged"),
				Map.entry("mount-cgroup", List.of("SYS_ADMIN", "SYS_CHROOT", "SYS_PTRACE")));
		assertThat(inits.stream().map((init) -> init.get("name"))).contains("install-cni-plugin", "install-cni-conf");
		for (String name : granted.keySet()) {
			assertThat(commentsBeforeSecurityContext(manifests, name)).as("why %s needs %s", name, granted.get(name))
				.anySatisfy((comment) -> assertThat(comment).startsWith("# why"));
		}
	}

	/**
	 * The comment lines between a container's {@code - name:} and its
	 * {@code securityContext:} in the rendered text.
	 */
	private static List<String> commentsBeforeSecurityContext(String manifests, String container) {
		List<String> lines = manifests.lines().map(String::strip).toList();
		int start = lines.indexOf("- name: " + container);
		assertThat(start).as("container %s in the rendered text", container).isNotNegative();
		List<String> comments = new ArrayList<>();
		for (String line : lines.subList(start + 1, lines.size())) {
			if (line.equals("securityContext:") || line.startsWith("- name:")) {
				break;
			}
			if (line.startsWith("#")) {
				comments.add(line);
			}
		}
		return comments;
	}

	private static Map<String, Object> agentContainer(RenderedChart chart) {
		return named(list(chart.get("DaemonSet", DAEMON_SET), "spec.template.spec.containers"), "agent");
	}

}
