package io.jcilium.agent.datapath.lb;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Finding the cgroup v2 hierarchy, and refusing a path that is not one: a bare directory
 * (what a container sees where a later mount hid the host's cgroup) fails the start with
 * the path and what to do, not with the errno of an attach.
 */
class CgroupV2Test {

	@TempDir
	Path dir;

	@Test
	void theFirstCgroup2MountIsTheHierarchy() {
		assertThat(CgroupV2.find(List.of("sysfs /sys sysfs rw 0 0", "cgroup /sys/fs/cgroup/cpu cgroup rw 0 0",
				"cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0", "none /run/x\\040y cgroup2 rw 0 0")))
			.contains(Path.of("/sys/fs/cgroup/unified"));
		assertThat(CgroupV2.find(List.of("sysfs /sys sysfs rw 0 0"))).isEmpty();
	}

	@Test
	void aPlainDirectoryIsRefusedWithItsPathAndWhatToDo() {
		assertThatIllegalStateException().isThrownBy(() -> CgroupV2.requireHierarchy(this.dir))
			.withMessageContaining("cgroup v2 hierarchy at " + this.dir)
			.withMessageContaining("mount -t cgroup2 none " + this.dir)
			.withMessageContaining("jcilium.service.cgroup-path");
		Path missing = this.dir.resolve("missing");
		assertThatIllegalStateException().isThrownBy(() -> CgroupV2.requireHierarchy(missing))
			.withMessageContaining(missing.toString());
	}

	@Test
	void aCgroup2MountIsAccepted() {
		Path mounted = CgroupV2.find(Path.of("/proc/mounts")).orElse(null);
		if (mounted == null) {
			// Every machine these tests run on mounts one (hybrid or unified layout).
			throw new IllegalStateException("no cgroup2 mount on this machine");
		}
		assertThat(CgroupV2.requireHierarchy(mounted)).isEqualTo(mounted);
	}

}
