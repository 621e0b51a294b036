package io.jcilium.bgp.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.BgpError;
import io.jcilium.bgp.wire.BgpMessage;
import io.jcilium.bgp.wire.Capabilities;
import io.jcilium.bgp.wire.KeepaliveMessage;
import io.jcilium.bgp.wire.NotificationMessage;
import io.jcilium.bgp.wire.OpenMessage;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.bgp.wire.UpdateMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running speaker on loopback, and a neighbour that is a raw socket: each malformed
 * message gets the NOTIFICATION RFC 4271 section 6 prescribes, the connection closes, a
 * second neighbour's session stays Established throughout, and the speaker takes the bad
 * neighbour back on its next connection.
 */
class MalformedMessagesIT {

	private static final long SPEAKER_AS = 65000;

	private static final long PEER_AS = 65001;

	private static final InetAddress SPEAKER = address("127.0.0.21");

	private static final InetAddress BAD_PEER = address("127.0.0.22");

	private static final InetAddress GOOD_PEER = address("127.0.0.23");

	private BgpSpeaker speaker;

	@BeforeEach
	void startSpeaker() throws InterruptedException {
		this.speaker = new BgpSpeaker(new SpeakerConfig(SPEAKER_AS, SPEAKER, SPEAKER, 0, false), 2);
		this.speaker.start();
		for (InetAddress peer : List.of(BAD_PEER, GOOD_PEER)) {
			this.speaker.addNeighbour(
					new NeighbourConfig(peer, 179, PEER_AS, true, 90, 1, Set.of(AddressFamily.IPV4_UNICAST), 0, null));
		}
		this.speaker.advertise(Map.of(Prefix.parse("10.20.0.0/16"), RouteAttributes.DEFAULT));
	}

	@AfterEach
	void stopSpeaker() {
		this.speaker.stop(true);
	}

	static Stream<Arguments> malformed() {
		return Stream.of(
				Arguments.of("unknown message type", hex("ffffffffffffffffffffffffffffffff" + "0013" + "09"),
						BgpError.BAD_MESSAGE_TYPE, hex("09")),
				Arguments.of("broken marker", hex("ffffffffffffffff00ffffffffffffff" + "0013" + "04"),
						BgpError.CONNECTION_NOT_SYNCHRONIZED, hex("")),
				Arguments.of("length over 4096", hex("ffffffffffffffffffffffffffffffff" + "1001" + "02"),
						BgpError.BAD_MESSAGE_LENGTH, hex("1001")),
				Arguments.of("KEEPALIVE with a body", hex("ffffffffffffffffffffffffffffffff" + "0014" + "04" + "00"),
						BgpError.BAD_MESSAGE_LENGTH, hex("0014")),
				Arguments.of("OPEN in Established",
						hex("ffffffffffffffffffffffffffffffff" + "001d" + "01" + "04fde9005a0a0000160" + "0"),
						BgpError.FSM_UNEXPECTED_IN_ESTABLISHED, hex("")),
				Arguments.of("withdrawn length past the message",
						hex("ffffffffffffffffffffffffffffffff" + "0017" + "02" + "00090000"),
						BgpError.MALFORMED_ATTRIBUTE_LIST, hex("")),
				Arguments.of("unrecognized well-known attribute",
						hex("ffffffffffffffffffffffffffffffff" + "001b" + "02" + "0000" + "0004" + "40630107"),
						BgpError.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, hex("40630107")),
				Arguments.of("NLRI /33",
						hex("ffffffffffffffffffffffffffffffff" + "001c" + "02" + "0000" + "0000" + "210a000000"),
						BgpError.INVALID_NETWORK_FIELD, hex("")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformed")
	void aMalformedMessageGetsItsNotification(String name, byte[] message, BgpError error, byte[] data)
			throws Exception {
		try (RawPeer good = establish(GOOD_PEER)) {
			try (RawPeer bad = establish(BAD_PEER)) {
				bad.send(message);
				NotificationMessage notification = nextNotification(bad);
				assertThat(notification.error()).as(notification.toString()).isEqualTo(error);
				assertThat(notification.data()).isEqualTo(data);
				assertThat(bad.closedBySpeaker()).isTrue();
			}
			good.send(KeepaliveMessage.INSTANCE);
			assertThat(state(GOOD_PEER)).isEqualTo(SessionState.ESTABLISHED);
			try (RawPeer again = establish(BAD_PEER)) {
				assertThat(state(BAD_PEER)).isEqualTo(SessionState.ESTABLISHED);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("treatAsWithdraw")
	void aMalformedAttributeRfc7606HandlesKeepsTheSession(String name, byte[] message) throws Exception {
		try (RawPeer peer = establish(BAD_PEER)) {
			peer.send(hex("ffffffffffffffffffffffffffffffff" + "002f" + "02" + "0000" + "0014" + "40010100"
					+ "400206020100" + "00fde9" + "400304c0000201" + "180a0001"));
			awaitReceived(BAD_PEER, 1);
			peer.send(message);
			awaitReceived(BAD_PEER, 0);
			peer.send(KeepaliveMessage.INSTANCE);
			assertThat(state(BAD_PEER)).isEqualTo(SessionState.ESTABLISHED);
		}
	}

	static Stream<Arguments> treatAsWithdraw() {
		return Stream.of(
				Arguments.of("ORIGIN 3",
						hex("ffffffffffffffffffffffffffffffff" + "002f" + "02" + "0000" + "0014" + "40010103"
								+ "400206020100" + "00fde9" + "400304c0000201" + "180a0001")),
				Arguments.of("multicast NEXT_HOP",
						hex("ffffffffffffffffffffffffffffffff" + "002f" + "02" + "0000" + "0014" + "40010100"
								+ "400206020100" + "00fde9" + "400304e0000005" + "180a0001")),
				Arguments.of("no AS_PATH", hex("ffffffffffffffffffffffffffffffff" + "0026" + "02" + "0000" + "000b"
						+ "40010100" + "400304c0000201" + "180a0001")));
	}

	private RawPeer establish(InetAddress local) throws Exception {
		RawPeer peer = new RawPeer(local, new InetSocketAddress(SPEAKER, this.speaker.listenPort()));
		peer.send(new OpenMessage((int) PEER_AS, 90, addressValue(local),
				new Capabilities(Set.of(AddressFamily.IPV4_UNICAST), true, true, PEER_AS, null)));
		assertThat(peer.receive()).isInstanceOf(OpenMessage.class);
		assertThat(peer.receive()).isEqualTo(KeepaliveMessage.INSTANCE);
		peer.send(KeepaliveMessage.INSTANCE);
		// Our route and the End-of-RIB arrive once Established.
		assertThat(((UpdateMessage) nextOf(peer, UpdateMessage.class)).reachable())
			.containsExactly(Prefix.parse("10.20.0.0/16"));
		await(() -> state(local) == SessionState.ESTABLISHED, "session with " + local + " Established");
		return peer;
	}

	private static BgpMessage nextOf(RawPeer peer, Class<?> type) throws Exception {
		BgpMessage message = peer.receive();
		while (!type.isInstance(message)) {
			message = peer.receive();
		}
		return message;
	}

	private static NotificationMessage nextNotification(RawPeer peer) throws Exception {
		return (NotificationMessage) nextOf(peer, NotificationMessage.class);
	}

	private SessionState state(InetAddress peer) {
		return this.speaker.status()
			.stream()
			.filter((s) -> s.peerAddress().equals(peer.getHostAddress()))
			.findFirst()
			.orElseThrow()
			.state();
	}

	private void awaitReceived(InetAddress peer, int count) {
		await(() -> this.speaker.status()
			.stream()
			.anyMatch((s) -> s.peerAddress().equals(peer.getHostAddress())
					&& s.received().get(AddressFamily.IPV4_UNICAST) == count),
				count + " prefixes received from " + peer);
	}

	static void await(Supplier<Boolean> condition, String what) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (!condition.get()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("gave up waiting for: " + what);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted waiting for: " + what, ex);
			}
		}
	}

	private static long addressValue(InetAddress address) {
		byte[] b = address.getAddress();
		return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
	}

	static byte[] hex(String hex) {
		byte[] bytes = new byte[hex.length() / 2];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
		}
		return bytes;
	}

	static InetAddress address(String text) {
		try {
			return InetAddress.getByName(text);
		}
		catch (java.net.UnknownHostException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
