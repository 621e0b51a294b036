package io.jcilium.agent.datapath;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jcilium.agent.datapath.tc.NetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IPv4 and IPv6 datagrams larger than the pods' MTU (1,500), fragmented by the sending
 * pod's own stack, against policy that has port-level rules only ({@link ThreePodNode}: S
 * admits C on UDP 9090, anyone on UDP 9191 and ping). Later fragments carry no port: they
 * must follow the verdict their first fragment got.
 */
class FragmentsIT {

	static final int LARGE = 4000;

	private ThreePodNode node;

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "ping", "sysctl");
		this.node = new ThreePodNode();
		this.node.start();
	}

	@AfterEach
	void tearDown() {
		if (this.node != null) {
			this.node.close();
		}
	}

	@Test
	void fragmentedPingsAndDatagramsPassWhereTheirFirstFragmentIsAllowed() throws Exception {
		PodTopology.Pod s = this.node.s;
		PodTopology.Pod c = this.node.c;
		assertThat(largePings(c, s.address())).as("3,000-byte pings over IPv4").isEqualTo(2);
		assertThat(largePings(c, s.address6())).as("3,000-byte pings over IPv6").isEqualTo(2);
		assertThat(largeDatagramArrives(c, s, s.address(), 9090)).as("4,000-byte UDP over IPv4").isTrue();
		assertThat(largeDatagramArrives(c, s, s.address6(), 9090)).as("4,000-byte UDP over IPv6").isTrue();
	}

	@Test
	void fragmentsOfADeniedDatagramAreDroppedWithTheirFirstFragment() throws Exception {
		PodTopology.Pod s = this.node.s;
		PodTopology.Pod x = this.node.x;
		assertThat(largeDatagramArrives(x, s, s.address(), 9191)).as("X on the port open to anyone").isTrue();
		assertThat(largeDatagramArrives(x, s, s.address(), 9090)).as("X on C's port").isFalse();
		assertThat(largeDatagramArrives(x, s, s.address6(), 9090)).as("X on C's port over IPv6").isFalse();
	}

	private static int largePings(PodTopology.Pod from, String to) {
		PodTopology.Result result = PodTopology.tryRun("nsenter", "--net=" + from.namespacePath(), "ping", "-n", "-c",
				"2", "-i", "0.3", "-W", "2", "-s", "3000", to);
		Matcher stats = Pattern.compile("(\\d+) received").matcher(result.output());
		return stats.find() ? Integer.parseInt(stats.group(1)) : 0;
	}

	/**
	 * Whether a LARGE-byte datagram arrives whole (the receiver's stack reassembles it).
	 */
	private static boolean largeDatagramArrives(PodTopology.Pod client, PodTopology.Pod server, String address,
			int port) throws IOException {
		try (DatagramSocket receiver = NetworkNamespace.call(server.namespacePath(),
				() -> new DatagramSocket(new InetSocketAddress(address, port)));
				DatagramSocket sender = NetworkNamespace.call(client.namespacePath(), DatagramSocket::new)) {
			receiver.setSoTimeout(2000);
			byte[] payload = new byte[LARGE];
			sender.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(address, port)));
			DatagramPacket packet = new DatagramPacket(new byte[LARGE + 100], LARGE + 100);
			receiver.receive(packet);
			return packet.getLength() == LARGE;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
	}

}
