package io.jcilium.agent.datapath;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jcilium.testsupport.Prerequisites;

/**
 * What kernel-facing tests need, checked up front: outside CI a missing piece skips the
 * test with a message naming it; in CI it fails the test instead, so CI can never pass by
 * skipping ({@link Prerequisites}).
 */
public final class KernelRequirements {

	private static final int CAP_NET_ADMIN = 12;

	private static final int CAP_SYS_ADMIN = 21;

	private static final int CAP_BPF = 39;

	private KernelRequirements() {
	}

	/**
	 * libbpf.so.1 only: enough to open objects and read BTF.
	 */
	public static void requireLibbpf() {
		List<String> missing = new ArrayList<>();
		String libbpf = TestLibbpf.unavailableReason();
		if (libbpf != null) {
			missing.add(libbpf);
		}
		enforce(missing);
	}

	/**
	 * libbpf plus the privileges to load programs and create maps, and a mounted bpffs.
	 */
	public static void requireBpf() {
		List<String> missing = new ArrayList<>();
		String libbpf = TestLibbpf.unavailableReason();
		if (libbpf != null) {
			missing.add(libbpf);
		}
		BigInteger caps = effectiveCapabilities();
		if (!(caps.testBit(CAP_BPF) || caps.testBit(CAP_SYS_ADMIN)) || !caps.testBit(CAP_NET_ADMIN)) {
			missing.add("root (CAP_BPF or CAP_SYS_ADMIN, and CAP_NET_ADMIN) to load BPF programs");
		}
		if (!bpffsMounted()) {
			missing.add("bpffs at /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf, see scripts/setup.sh)");
		}
		enforce(missing);
	}

	/**
	 * Everything of {@link #requireBpf()} plus command-line tools on the PATH.
	 * @param tools e.g. "ip", "ping", "nsenter"
	 */
	public static void requireBpfAndTools(String... tools) {
		requireBpf();
		List<String> missing = new ArrayList<>();
		for (String tool : tools) {
			if (!Prerequisites.onPath(tool)) {
				missing.add("the '" + tool + "' command (install it with scripts/setup.sh)");
			}
		}
		enforce(missing);
	}

	private static void enforce(List<String> missing) {
		if (missing.isEmpty()) {
			return;
		}
		Prerequisites.missing("kernel test needs: " + String.join("; ", missing));
	}

	private static BigInteger effectiveCapabilities() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("CapEff:")) {
					return new BigInteger(line.substring("CapEff:".length()).trim(), 16);
				}
			}
		}
		catch (IOException ex) {
			return BigInteger.ZERO;
		}
		return BigInteger.ZERO;
	}

	private static boolean bpffsMounted() {
		try {
			return Files.readAllLines(Path.of("/proc/mounts"))
				.stream()
				.anyMatch((line) -> line.contains(" /sys/fs/bpf bpf "));
		}
		catch (IOException ex) {
			return false;
		}
	}

}
