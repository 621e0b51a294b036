package io.jcilium.agent.datapath.tc;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import io.jcilium.agent.datapath.libbpf.LibBpfException;
import io.jcilium.agent.datapath.libbpf.LibC;

/**
 * Runs code inside another network namespace. {@code setns(CLONE_NEWNET)} moves only the
 * calling thread, so each call gets a fresh thread that enters the namespace, runs the
 * work and dies: no pooled thread is ever left in a foreign namespace. Netlink (tc
 * attach) and {@link java.net.NetworkInterface} then see that namespace's devices. Unlike
 * {@code ip netns exec}, nothing is remounted, so bpffs pins stay visible. These threads
 * serve one call each, so they are not jobs of the agent's {@code Jobs}.
 */
public final class NetworkNamespace {

	private NetworkNamespace() {
	}

	/**
	 * Runs work in the namespace at a path.
	 * @param <T> the result type
	 * @param namespace e.g. /run/netns/node1 (null runs in the caller's namespace)
	 * @param work the work
	 * @return its result
	 */
	public static <T> T call(Path namespace, Callable<T> work) {
		if (namespace == null) {
			try {
				return work.call();
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		FutureTask<T> task = new FutureTask<>(() -> {
			enter(namespace);
			return work.call();
		});
		Thread thread = new Thread(task, "netns-" + namespace.getFileName());
		thread.setDaemon(true);
		thread.start();
		try {
			return task.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while working in " + namespace, ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("work in " + namespace + " failed: " + ex.getCause(), ex.getCause());
		}
	}

	/**
	 * The ifindex of a device in a namespace (java.net.NetworkInterface misses devices
	 * without an IPv4 address, like a pod's host-side veth).
	 * @param namespace the namespace path, null for the caller's
	 * @param device the device name
	 * @return the ifindex
	 */
	public static int interfaceIndex(Path namespace, String device) {
		int ifindex = call(namespace, () -> LibC.load().if_nametoindex(device));
		if (ifindex <= 0) {
			throw new LibBpfException(
					"no device " + device + " in " + ((namespace != null) ? namespace : "this namespace"));
		}
		return ifindex;
	}

	private static void enter(Path namespace) {
		LibC libc = LibC.load();
		int fd = libc.open(namespace.toString(), LibC.O_RDONLY_CLOEXEC);
		if (fd < 0) {
			throw new LibBpfException("cannot open network namespace " + namespace + " (does it exist?)");
		}
		try {
			if (libc.setns(fd, LibC.CLONE_NEWNET) < 0) {
				throw new LibBpfException("setns into " + namespace + " failed (needs CAP_SYS_ADMIN)");
			}
		}
		finally {
			libc.close(fd);
		}
	}

}
