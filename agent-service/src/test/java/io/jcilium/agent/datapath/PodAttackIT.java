package io.jcilium.agent.datapath;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.jcilium.agent.datapath.events.DatapathEvent;
import io.jcilium.common.datapath.DropReason;
import io.jcilium.agent.datapath.events.EventReader;
import io.jcilium.agent.datapath.events.EventType;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks from a pod on the same node, tried as an attacker would, on real packets: pod X
 * (the attacker) sends frames with forged addresses out of its own interface with a raw
 * socket. Pod S (the server) admits pod C on TCP 8080 and UDP 9090, anyone on UDP 9191
 * and ping; X may send anywhere, S's policy keeps it out ({@link ThreePodNode}).
 */
class PodAttackIT {

	private ThreePodNode node;

	private PodTopology.Pod podS;

	private PodTopology.Pod podC;

	private PodTopology.Pod podX;

	private EventReader reader;

	private final BlockingQueue<DatapathEvent> events = new LinkedBlockingQueue<>();

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "ping", "sysctl", "python3");
		this.node = new ThreePodNode();
		this.node.start();
		this.podS = this.node.s;
		this.podC = this.node.c;
		this.podX = this.node.x;
		this.reader = new EventReader(this.node.server().events(), this.events::add);
		this.reader.start();
	}

	@AfterEach
	void tearDown() {
		if (this.reader != null) {
			this.reader.close();
		}
		if (this.node != null) {
			this.node.close();
		}
	}

	@Test
	void packetsWithAnotherPodsAddressAreDroppedAndCounted() throws Exception {
		// what X legitimately sends still passes: its own addresses, ARP and neighbour
		// discovery for its gateway
		assertThat(PodTraffic.ping(this.podX, this.podS, 2)).isEqualTo(2);
		assertThat(PodTraffic.ping(this.podX, this.podS.address6(), 2)).isEqualTo(2);
		// through the node's stack, S's to-container hook takes the sender's identity
		// from the packet's source address: the spoofed address would be C's
		this.node.server().unregisterLocalDelivery();

		assertThat(udpArrives(this.podS, this.podS.address(), 9090,
				() -> PodTraffic.sendFrame(this.podX,
						this.node.fromPod(this.podX,
								Packets.udp(this.podC.address(), this.podS.address(), 5000, 9090)))))
			.as("UDP with C's IPv4 address from X")
			.isFalse();
		assertThat(udpArrives(this.podS, this.podS.address6(), 9090,
				() -> PodTraffic.sendFrame(this.podX,
						this.node.fromPod(this.podX,
								Packets.udp(this.podC.address6(), this.podS.address6(), 5000, 9090)))))
			.as("UDP with C's IPv6 address from X")
			.isFalse();

		DatapathEvent drop = awaitDrop((e) -> e.dropReason() == DropReason.INVALID_SOURCE_IP);
		assertThat(drop.endpointId()).as("dropped where X sent it").isEqualTo(ThreePodNode.ENDPOINT_X);
		assertThat(drop.sourceIdentity()).as("X's own identity, not C's").isEqualTo(ThreePodNode.IDENTITY_X);
		assertThat(drop.header().observationPoint()).isEqualTo(DatapathEvent.TRACE_FROM_LXC);
		assertThat(this.node.server().metrics().get(132, TrafficDirection.EGRESS).count()).isGreaterThanOrEqualTo(2);
		// the same datagram from C itself is admitted
		assertThat(PodTraffic.udpDelivered(this.podC, this.podS, 9090)).isTrue();
	}

	@Test
	void packetsWithAnotherPodsMacAreDroppedAndCounted() throws Exception {
		byte[] datagram = Packets.udp(this.podX.address(), this.podS.address(), 5000, 9191);
		assertThat(udpArrives(this.podS, this.podS.address(), 9191,
				() -> PodTraffic.sendFrame(this.podX, this.node.fromPod(this.podX, datagram))))
			.as("X's own frame to a port open to anyone")
			.isTrue();

		byte[] forged = Packets.withMacs(datagram, this.node.topology.hostMac(this.podX), this.podC.mac());
		assertThat(udpArrives(this.podS, this.podS.address(), 9191, () -> PodTraffic.sendFrame(this.podX, forged)))
			.as("the same frame with C's MAC")
			.isFalse();
		DatapathEvent drop = awaitDrop((e) -> e.header().subtype() == 130);
		assertThat(drop.endpointId()).isEqualTo(ThreePodNode.ENDPOINT_X);
		assertThat(this.node.server().metrics().get(130, TrafficDirection.EGRESS).count()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void forgedReplyOpensNoSessionPastTheServersPolicy() throws Exception {
		try (ServerSocket listener = PodTraffic.listen(this.podS, 8080)) {
			assertThat(PodTraffic.connects(this.podC, this.podS, 8080, 2000)).as("C is admitted").isTrue();
			assertThat(PodTraffic.connects(this.podX, this.podS, 8080, 1500)).as("X is not").isFalse();

			// one reply-shaped packet, S:8080 -> X:45678, out of X's own interface
			PodTraffic.sendFrame(this.podX, this.node.fromPod(this.podX, Packets.tcp(this.podS.address(),
					this.podX.address(), 8080, 45678, Packets.TCP_SYN | Packets.TCP_ACK)));

			assertThat(connectsFromPort(this.podX, 45678, this.podS, 8080))
				.as("X's real connection from that port is no reply of anything S allowed")
				.isFalse();
			assertThat(PodTraffic.connects(this.podC, this.podS, 8080, 2000)).as("C still is admitted").isTrue();
		}
	}

	/**
	 * Whether a datagram arrives at a socket bound in the server's namespace while
	 * {@code send} runs.
	 */
	private static boolean udpArrives(PodTopology.Pod server, String address, int port, Runnable send)
			throws IOException {
		try (DatagramSocket receiver = NetworkNamespace.call(server.namespacePath(),
				() -> new DatagramSocket(new InetSocketAddress(address, port)))) {
			receiver.setSoTimeout(1500);
			send.run();
			receiver.receive(new DatagramPacket(new byte[256], 256));
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
	}

	/** A TCP connect from a chosen local port that must carry the server's byte back. */
	private static boolean connectsFromPort(PodTopology.Pod client, int localPort, PodTopology.Pod server, int port) {
		return NetworkNamespace.call(client.namespacePath(), () -> {
			try (Socket socket = new Socket()) {
				socket.setReuseAddress(true);
				socket.bind(new InetSocketAddress(client.address(), localPort));
				socket.connect(new InetSocketAddress(server.address(), port), 1500);
				socket.setSoTimeout(1500);
				return socket.getInputStream().read() == '!';
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
		});
	}

	private DatapathEvent awaitDrop(Predicate<DatapathEvent> match) throws InterruptedException {
		List<DatapathEvent> seen = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			DatapathEvent event = this.events.poll(100, TimeUnit.MILLISECONDS);
			if (event != null && event.type() == EventType.DROP && match.test(event)) {
				return event;
			}
			if (event != null) {
				seen.add(event);
			}
		}
		throw new AssertionError("no matching drop event within 10 s; saw " + seen);
	}

}
