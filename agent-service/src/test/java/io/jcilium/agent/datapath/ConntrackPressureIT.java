package io.jcilium.agent.datapath;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.jcilium.agent.datapath.maps.TrafficDirection;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One pod floods the node's conntrack table with new flows, as an attacker would; another
 * pod's idle established connection must survive it ({@link ThreePodNode}: C connects to
 * S; C admits nothing unsolicited, so S's data reaches C only as a reply of C's tracked
 * connection).
 */
class ConntrackPressureIT {

	/** More than the whole table (CT_MAP_SIZE, 262,144 entries). */
	static final int FLOWS = 300_000;

	/** Per-endpoint share of the table (CT_ENDPOINT_MAX in bpf/lib/maps.h). */
	static final int ENDPOINT_SHARE = 65_536;

	private ThreePodNode node;

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "sysctl");
		this.node = new ThreePodNode();
		this.node.start();
		// the flood's destinations: silently dropped by the node (no ICMP back)
		this.node.topology.inNode("ip", "route", "add", "blackhole", "198.51.100.0/24");
	}

	@AfterEach
	void tearDown() {
		if (this.node != null) {
			this.node.close();
		}
	}

	@Test
	void aFloodOfNewFlowsFromOnePodEvictsNoOtherPodsConnection() throws Exception {
		PodTopology.Pod s = this.node.s;
		PodTopology.Pod c = this.node.c;
		try (ServerSocket listener = NetworkNamespace.call(s.namespacePath(), () -> {
			ServerSocket socket = new ServerSocket();
			socket.bind(new InetSocketAddress(s.address(), 8080));
			return socket;
		}); Socket client = NetworkNamespace.call(c.namespacePath(), () -> {
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress(s.address(), 8080), 5000);
			return socket;
		}); Socket accepted = listener.accept()) {
			client.setSoTimeout(15_000);
			accepted.setSoTimeout(15_000);
			assertThat(exchange(client, accepted, "before")).isEqualTo("before");
			assertThat(exchange(accepted, client, "before")).isEqualTo("before");

			flood(this.node.x, FLOWS);

			assertThat(exchange(accepted, client, "after the flood"))
				.as("S's data still reaches C as a reply of C's connection")
				.isEqualTo("after the flood");
			assertThat(exchange(client, accepted, "after the flood")).isEqualTo("after the flood");
		}
		long refused = this.node.server().metrics().get(155, TrafficDirection.EGRESS).count();
		assertThat(refused).as("X's new flows beyond its share were refused and counted")
			.isGreaterThanOrEqualTo(FLOWS - ENDPOINT_SHARE);
		long ownedByX = this.node.server()
			.conntrack()
			.entries()
			.keySet()
			.stream()
			.filter((key) -> key.endpointId() == ThreePodNode.ENDPOINT_X)
			.count();
		assertThat(ownedByX).isLessThanOrEqualTo(ENDPOINT_SHARE);
	}

	/**
	 * Distinct UDP flows from the pod, 250 addresses times up to 1,600 ports, two
	 * datagrams each: a second packet marks the flow's entry as used, so the LRU sees the
	 * flood as live traffic and the idle connection as the oldest (one datagram per flow
	 * leaves it alone).
	 */
	private static void flood(PodTopology.Pod pod, int flows) {
		NetworkNamespace.call(pod.namespacePath(), () -> {
			try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(pod.address(), 0))) {
				byte[] payload = "flood".getBytes(StandardCharsets.US_ASCII);
				for (int i = 0; i < flows; i++) {
					InetAddress target = InetAddress
						.getByAddress(new byte[] { (byte) 198, 51, 100, (byte) (1 + i % 250) });
					DatagramPacket datagram = new DatagramPacket(payload, payload.length, target, 1024 + i / 250);
					socket.send(datagram);
					socket.send(datagram);
				}
			}
			return null;
		});
	}

	private static String exchange(Socket from, Socket to, String message) throws Exception {
		byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
		from.getOutputStream().write(bytes);
		from.getOutputStream().flush();
		InputStream in = to.getInputStream();
		byte[] received = in.readNBytes(bytes.length);
		return new String(received, StandardCharsets.UTF_8);
	}

}
