package io.jcilium.bgp.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8203 / RFC 9003 shutdown communication.
 */
class NotificationMessageTest {

	@Test
	void aShutdownCarriesItsTextAfterALengthOctet() {
		NotificationMessage cease = NotificationMessage.shutdown(BgpError.CEASE_ADMINISTRATIVE_SHUTDOWN, "upgrade");
		assertThat(cease.code()).isEqualTo(6);
		assertThat(cease.subcode()).isEqualTo(2);
		assertThat(cease.data()[0]).isEqualTo((byte) 7);
		assertThat(cease.shutdownCommunication()).isEqualTo("upgrade");
	}

	@Test
	void aLongTextIsCutTo255BytesOnACharacterBoundary() {
		NotificationMessage cease = NotificationMessage.shutdown(BgpError.CEASE_ADMINISTRATIVE_RESET, "é".repeat(200));
		assertThat(cease.data()[0] & 0xFF).isEqualTo(254);
		assertThat(cease.shutdownCommunication()).isEqualTo("é".repeat(127));
	}

	@Test
	void aLengthPastTheDataIsIgnored() {
		NotificationMessage cease = new NotificationMessage(6, 2, new byte[] { 50, 'h', 'i' });
		assertThat(cease.shutdownCommunication()).isEmpty();
	}

}
