package io.jcilium.identity.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a local port whose open connections can be made to die without
 * a word: after {@link #blackholeOpenConnections()} their bytes are read and dropped in
 * both directions, and nothing is closed, as when a network path breaks. Connections made
 * afterwards are forwarded normally, unless the proxy is {@link #partition()
 * partitioned}: then they are dropped at once, until {@link #heal()}.
 */
final class BlackholeProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int targetPort;

	private final List<Link> links = new CopyOnWriteArrayList<>();

	private volatile boolean partitioned;

	BlackholeProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "blackhole-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	String target() {
		return "127.0.0.1:" + this.server.getLocalPort();
	}

	void blackholeOpenConnections() {
		this.links.forEach((link) -> link.blackholed = true);
	}

	/** Cuts the path: open connections go silent, new ones are closed at once. */
	void partition() {
		this.partitioned = true;
		blackholeOpenConnections();
	}

	/** New connections are forwarded again. */
	void heal() {
		this.partitioned = false;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				if (this.partitioned) {
					client.close();
					continue;
				}
				Socket upstream = new Socket();
				upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.targetPort), 2000);
				Link link = new Link(client, upstream);
				this.links.add(link);
				link.pump(client, upstream, "up");
				link.pump(upstream, client, "down");
			}
			catch (IOException ex) {
				// Closed, or the target refused: the client sees its connection closed.
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Link link : this.links) {
			link.closeBothSides();
		}
	}

	private static final class Link {

		private final Socket client;

		private final Socket upstream;

		private volatile boolean blackholed;

		Link(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
		}

		void pump(Socket from, Socket to, String direction) {
			Thread thread = new Thread(() -> {
				byte[] buffer = new byte[16 * 1024];
				// Not try-with-resources: closing a socket's stream closes the socket.
				try {
					InputStream in = from.getInputStream();
					OutputStream out = to.getOutputStream();
					int read;
					while ((read = in.read(buffer)) >= 0) {
						if (!this.blackholed) {
							out.write(buffer, 0, read);
							out.flush();
						}
					}
				}
				catch (IOException ex) {
					// One side closed: close the other below.
				}
				// Through a broken path not even the close gets across.
				if (!this.blackholed) {
					closeBothSides();
				}
			}, "blackhole-proxy-" + direction);
			thread.setDaemon(true);
			thread.start();
		}

		void closeBothSides() {
			closeQuietly(this.client);
			closeQuietly(this.upstream);
		}

		private static void closeQuietly(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ignored) {
				// Already closed.
			}
		}

	}

}
