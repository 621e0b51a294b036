package io.jcilium.agent.datapath.lb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import io.jcilium.testsupport.Prerequisites;

/**
 * A child cgroup of the cgroup v2 hierarchy for one test run, so the socket programs a
 * test attaches translate only the test's own clients (started inside it), never other
 * processes of the machine. Removed on close; the attachments go with their links.
 */
final class TestCgroup implements AutoCloseable {

	private final Path path;

	private TestCgroup(Path path) {
		this.path = path;
	}

	static TestCgroup create() {
		Path root = CgroupV2.find(Path.of("/proc/mounts")).orElse(null);
		Prerequisites.require(root != null, "socket LB test needs a cgroup v2 mount (mount -t cgroup2 none <dir>)");
		Path path = root.resolve("jcilium-socklb-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()));
		try {
			Files.createDirectory(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create test cgroup " + path, ex);
		}
		return new TestCgroup(path);
	}

	Path path() {
		return this.path;
	}

	/**
	 * The shell prefix that moves a command into this cgroup before it starts.
	 * @return e.g. {@code echo $$ > <dir>/cgroup.procs && exec}
	 */
	String enter() {
		return "echo $$ > " + this.path.resolve("cgroup.procs") + " && exec";
	}

	@Override
	public void close() {
		// its clients have exited; an empty cgroup is removed with rmdir
		for (int attempt = 0; attempt < 50; attempt++) {
			try {
				Files.deleteIfExists(this.path);
				return;
			}
			catch (IOException ex) {
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

}
