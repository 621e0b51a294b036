package io.jcilium.agent.datapath;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.jcilium.agent.datapath.tc.NetworkNamespace;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One TCP connection from pod A to pod B carrying 1 KiB every 5 ms until finished.
 */
final class TcpStream implements AutoCloseable {

	private final ServerSocket listener;

	private final Socket client;

	private final Socket server;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	private final AtomicReference<Throwable> failure = new AtomicReference<>();

	private final Thread writer;

	private final Thread reader;

	private volatile boolean running = true;

	private final PodTopology.Pod from;

	private final PodTopology.Pod to;

	TcpStream(PodTopology.Pod from, PodTopology.Pod to, int port) throws Exception {
		this.from = from;
		this.to = to;
		this.listener = NetworkNamespace.call(this.to.namespacePath(), () -> {
			ServerSocket socket = new ServerSocket();
			socket.bind(new InetSocketAddress(this.to.address(), port));
			return socket;
		});
		this.client = NetworkNamespace.call(this.from.namespacePath(), () -> {
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress(this.to.address(), port), 2000);
			return socket;
		});
		this.listener.setSoTimeout(5000);
		this.server = this.listener.accept();
		this.writer = new Thread(this::write, "tcp-stream-writer");
		this.reader = new Thread(this::read, "tcp-stream-reader");
		this.writer.start();
		this.reader.start();
	}

	private void write() {
		byte[] chunk = new byte[1024];
		try {
			OutputStream out = this.client.getOutputStream();
			while (this.running) {
				out.write(chunk);
				this.sent.addAndGet(chunk.length);
				Thread.sleep(5);
			}
			this.client.shutdownOutput();
		}
		catch (IOException | InterruptedException ex) {
			this.failure.compareAndSet(null, ex);
		}
	}

	private void read() {
		byte[] buffer = new byte[65536];
		try {
			InputStream in = this.server.getInputStream();
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				this.received.addAndGet(n);
			}
		}
		catch (IOException ex) {
			this.failure.compareAndSet(null, ex);
		}
	}

	long sent() {
		return this.sent.get();
	}

	long received() {
		return this.received.get();
	}

	/**
	 * Segments this stream's connection has sent again so far (the total of {@code ss}'s
	 * {@code retrans:unacked/total}; absent when none). Counted for this socket alone:
	 * the namespace-wide counter also counts the SYNs of connection attempts that policy
	 * denies, whose first retransmission races their connect timeout.
	 */
	long retransmitted() {
		String info = PodTopology.exec(this.from.namespace(), "ss", "-tinH", "state", "established",
				"( sport = :" + this.client.getLocalPort() + " )");
		assertThat(info).as("ss finds the stream's connection").contains(":" + this.client.getLocalPort());
		Matcher retransmits = Pattern.compile("retrans:\\d+/(\\d+)").matcher(info);
		return retransmits.find() ? Long.parseLong(retransmits.group(1)) : 0;
	}

	/** Stops writing and waits until the reader saw the end of the stream. */
	void finish() throws InterruptedException {
		this.running = false;
		this.writer.join(10_000);
		this.reader.join(10_000);
		assertThat(this.failure.get()).as("the connection never broke").isNull();
	}

	@Override
	public void close() throws IOException {
		this.running = false;
		this.client.close();
		this.server.close();
		this.listener.close();
	}

}
