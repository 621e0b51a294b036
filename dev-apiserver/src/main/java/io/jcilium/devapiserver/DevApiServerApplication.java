package io.jcilium.devapiserver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the dev API server as a process:
 * {@code java -jar dev-apiserver.jar [--port 6443] [--bind 127.0.0.1] [--kubeconfig FILE]}.
 * Prints one line starting with {@value #READY} once it serves, and stops cleanly on
 * SIGTERM or Ctrl-C.
 */
public final class DevApiServerApplication {

	/** The start of the line printed once the server answers. */
	public static final String READY = "dev-apiserver ready";

	private DevApiServerApplication() {
	}

	public static void main(String[] args) throws InterruptedException {
		int port = 6443;
		String bind = "127.0.0.1";
		Path kubeconfig = null;
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (i + 1 >= args.length && !arg.equals("--help")) {
				usage("missing value after " + arg);
			}
			switch (arg) {
				case "--port" -> port = parsePort(args[++i]);
				case "--bind" -> bind = args[++i];
				case "--kubeconfig" -> kubeconfig = Path.of(args[++i]);
				case "--help" -> usage(null);
				default -> usage("unknown argument " + arg);
			}
		}
		DevApiServer server;
		try {
			server = DevApiServer.start(InetAddress.getByName(bind), port);
		}
		catch (UnknownHostException ex) {
			usage("cannot resolve --bind " + bind);
			return;
		}
		if (kubeconfig != null) {
			server.writeKubeconfig(kubeconfig);
		}
		CountDownLatch stopped = new CountDownLatch(1);
		DevApiServer running = server;
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			running.close();
			System.out.println("dev-apiserver stopped");
			stopped.countDown();
		}, "dev-apiserver-shutdown"));
		System.out.println(READY + " on " + server.url()
				+ ((kubeconfig != null) ? " (kubeconfig " + kubeconfig.toAbsolutePath() + ")" : ""));
		stopped.await();
	}

	private static int parsePort(String value) {
		try {
			int port = Integer.parseInt(value);
			if (port >= 0 && port <= 65535) {
				return port;
			}
		}
		catch (NumberFormatException ignored) {
			// reported below
		}
		usage("--port needs a number from 0 (any free port) to 65535, not " + value);
		return -1;
	}

	private static void usage(String problem) {
		if (problem != null) {
			System.err.println("dev-apiserver: " + problem);
		}
		System.err.println("usage: dev-apiserver [--port 6443] [--bind 127.0.0.1] [--kubeconfig FILE]");
		System.exit((problem != null) ? 2 : 0);
	}

}
