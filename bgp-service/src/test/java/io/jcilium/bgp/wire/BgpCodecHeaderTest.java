package io.jcilium.bgp.wire;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static io.jcilium.bgp.wire.Messages.bytes;
import static io.jcilium.bgp.wire.Messages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * RFC 4271 section 6.1, Message Header Error: each case gets its subcode and data.
 */
class BgpCodecHeaderTest {

	private static final SessionCodecOptions OPTIONS = SessionCodecOptions.BEFORE_OPEN;

	@Test
	void aMarkerNotAllOnesIsConnectionNotSynchronized() {
		byte[] keepalive = message(4, new byte[0]);
		keepalive[3] = 0;
		assertNotification(keepalive, BgpError.CONNECTION_NOT_SYNCHRONIZED, new byte[0]);
	}

	@Test
	void aLengthBelowTheHeaderIsBadMessageLengthWithTheLengthAsData() {
		byte[] keepalive = message(4, new byte[0]);
		keepalive[17] = 18;
		assertNotification(keepalive, BgpError.BAD_MESSAGE_LENGTH, bytes(0, 18));
	}

	@Test
	void aLengthOver4096IsBadMessageLength() {
		byte[] keepalive = message(4, new byte[0]);
		keepalive[16] = 0x10;
		keepalive[17] = 1;
		assertNotification(keepalive, BgpError.BAD_MESSAGE_LENGTH, bytes(0x10, 1));
	}

	@Test
	void aKeepaliveWithABodyIsBadMessageLength() {
		assertNotification(message(4, bytes(0)), BgpError.BAD_MESSAGE_LENGTH, bytes(0, 20));
	}

	@Test
	void anOpenShorterThan29BytesIsBadMessageLength() {
		assertNotification(message(1, bytes(4, 0, 1, 0, 90)), BgpError.BAD_MESSAGE_LENGTH, bytes(0, 24));
	}

	@Test
	void anUpdateShorterThan23BytesIsBadMessageLength() {
		assertNotification(message(2, bytes(0, 0)), BgpError.BAD_MESSAGE_LENGTH, bytes(0, 21));
	}

	@Test
	void aNotificationShorterThan21BytesIsBadMessageLength() {
		assertNotification(message(3, bytes(6)), BgpError.BAD_MESSAGE_LENGTH, bytes(0, 20));
	}

	@Test
	void anUnknownTypeIsBadMessageTypeWithTheTypeAsData() {
		assertNotification(message(9, new byte[0]), BgpError.BAD_MESSAGE_TYPE, bytes(9));
		assertNotification(message(0, new byte[0]), BgpError.BAD_MESSAGE_TYPE, bytes(0));
	}

	@Test
	void aRouteRefreshOfTheWrongLengthIsRfc7313InvalidMessageLengthWithTheMessageAsData() {
		byte[] refresh = message(5, bytes(0, 1, 0, 1, 0));
		assertNotification(refresh, BgpError.ROUTE_REFRESH_INVALID_MESSAGE_LENGTH, refresh);
	}

	@Test
	void aRouteRefreshOf4096BytesGetsANotificationThatStillFits4096() {
		byte[] refresh = message(5, new byte[BgpCodec.MAX_MESSAGE_BYTES - 19]);
		assertThatExceptionOfType(BgpProtocolException.class).isThrownBy(() -> Messages.read(refresh, OPTIONS))
			.satisfies((ex) -> {
				byte[] notification = Messages.write(ex.notification(), OPTIONS);
				assertThat(notification).hasSize(BgpCodec.MAX_MESSAGE_BYTES);
				assertThat(ex.notification().data()).as("the ROUTE-REFRESH, as much of it as fits")
					.isEqualTo(Arrays.copyOf(refresh, NotificationMessage.MAX_DATA_BYTES));
			});
	}

	@Test
	void keepaliveNotificationAndRouteRefreshRoundTrip() throws BgpProtocolException {
		NotificationMessage cease = NotificationMessage.shutdown(BgpError.CEASE_ADMINISTRATIVE_SHUTDOWN, "maintenance");
		for (BgpMessage message : new BgpMessage[] { KeepaliveMessage.INSTANCE, cease,
				new RouteRefreshMessage(2, 1) }) {
			assertThat(Messages.read(Messages.write(message, OPTIONS), OPTIONS)).isEqualTo(message);
		}
	}

	private static void assertNotification(byte[] message, BgpError error, byte[] data) {
		assertThatExceptionOfType(BgpProtocolException.class).isThrownBy(() -> Messages.read(message, OPTIONS))
			.satisfies((ex) -> {
				assertThat(ex.notification().error()).isEqualTo(error);
				assertThat(ex.notification().data()).isEqualTo(data);
			});
	}

}
