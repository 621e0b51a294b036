package io.jcilium.agent.datapath;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jcilium.agent.datapath.tc.NetworkNamespace;

/**
 * Real packets between pod namespaces: TCP connects, UDP datagrams, pings. Sockets are
 * created on a thread inside the namespace they belong to.
 */
public final class PodTraffic {

	private PodTraffic() {
	}

	/**
	 * A TCP server in the pod's namespace, accepting in the background until closed.
	 * @param pod the pod
	 * @param port the port
	 * @return the listening socket
	 */
	public static ServerSocket listen(PodTopology.Pod pod, int port) {
		ServerSocket listener = NetworkNamespace.call(pod.namespacePath(), () -> {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(pod.address(), port), 64);
			return socket;
		});
		Thread acceptor = new Thread(() -> {
			while (!listener.isClosed()) {
				try (Socket accepted = listener.accept()) {
					accepted.getOutputStream().write('!');
				}
				catch (IOException ignored) {
					// closed, or a client gone before the byte: keep accepting until
					// closed
				}
			}
		}, "accept-" + pod.name() + "-" + port);
		acceptor.setDaemon(true);
		acceptor.start();
		return listener;
	}

	/**
	 * Whether a new TCP connection from {@code client} to {@code server} completes and
	 * carries a byte back (a dropped SYN times out).
	 * @param client the client pod
	 * @param server the server pod (listening)
	 * @param port the port
	 * @param timeoutMillis connect timeout
	 * @return whether it connected
	 */
	public static boolean connects(PodTopology.Pod client, PodTopology.Pod server, int port, int timeoutMillis) {
		return NetworkNamespace.call(client.namespacePath(), () -> {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(server.address(), port), timeoutMillis);
				socket.setSoTimeout(timeoutMillis);
				return socket.getInputStream().read() == '!';
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
		});
	}

	/**
	 * Whether a UDP datagram from {@code client} reaches {@code server}.
	 * @param client the sender
	 * @param server the receiver
	 * @param port the port
	 * @return whether it arrived within a second
	 */
	public static boolean udpDelivered(PodTopology.Pod client, PodTopology.Pod server, int port) {
		try (DatagramSocket receiver = NetworkNamespace.call(server.namespacePath(),
				() -> new DatagramSocket(new InetSocketAddress(server.address(), port)));
				DatagramSocket sender = NetworkNamespace.call(client.namespacePath(), DatagramSocket::new)) {
			receiver.setSoTimeout(1000);
			byte[] payload = "udp hello".getBytes(StandardCharsets.UTF_8);
			sender.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(server.address(), port)));
			DatagramPacket packet = new DatagramPacket(new byte[64], 64);
			receiver.receive(packet);
			return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8).equals("udp hello");
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			throw new IllegalStateException("UDP from " + client.name() + " to " + server.name() + " failed", ex);
		}
	}

	/**
	 * Sends one raw Ethernet frame out of the pod's eth0 (an AF_PACKET socket, as a
	 * process with CAP_NET_RAW inside a pod could): whatever addresses the frame carries.
	 * @param pod the sending pod
	 * @param frame the whole frame, Ethernet header first
	 */
	public static void sendFrame(PodTopology.Pod pod, byte[] frame) {
		StringBuilder hex = new StringBuilder();
		for (byte b : frame) {
			hex.append(String.format("%02x", b & 0xff));
		}
		PodTopology.exec(pod.namespace(), "python3", "-c",
				"import socket,sys; s=socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('eth0', 0)); "
						+ "s.send(bytes.fromhex(sys.argv[1]))",
				hex.toString());
	}

	/**
	 * Pings and counts the replies.
	 * @param from the sender
	 * @param to the target
	 * @param count echo requests
	 * @return replies received
	 */
	public static int ping(PodTopology.Pod from, PodTopology.Pod to, int count) {
		return ping(from, to.address(), count);
	}

	/**
	 * Pings an address (e.g. a pod's IPv6 one) and counts the replies.
	 * @param from the sender
	 * @param to the target address
	 * @param count echo requests
	 * @return replies received
	 */
	public static int ping(PodTopology.Pod from, String to, int count) {
		PodTopology.Result result = PodTopology.tryRun("nsenter", "--net=" + from.namespacePath(), "ping", "-n", "-c",
				String.valueOf(count), "-i", "0.2", "-W", "1", to);
		Matcher stats = Pattern.compile("(\\d+) received").matcher(result.output());
		return stats.find() ? Integer.parseInt(stats.group(1)) : 0;
	}

}
