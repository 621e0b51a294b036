package io.jcilium.agent.datapath.l2;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.jcilium.common.net.IpAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gratuitous frames field by field, and the neighbour advertisement's checksum
 * verified the way a receiver does: summed with the checksum in place, the pseudo header
 * and message fold to all ones.
 */
class GratuitousFramesTest {

	private static final byte[] MAC = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

	@Test
	void aGratuitousArpIsABroadcastRequestWhoseSenderAndTargetAreTheAnnouncedAddress() {
		byte[] ip = IpAddress.parseLiteral("192.0.2.100").getAddress();
		ByteBuffer frame = ByteBuffer.wrap(GratuitousFrames.arp(ip, MAC));

		assertThat(Arrays.copyOfRange(frame.array(), 0, 6)).containsOnly((byte) 0xff);
		assertThat(Arrays.copyOfRange(frame.array(), 6, 12)).isEqualTo(MAC);
		assertThat(frame.getShort(12)).isEqualTo((short) 0x0806);
		assertThat(frame.getShort(20)).as("operation: request").isEqualTo((short) 1);
		assertThat(Arrays.copyOfRange(frame.array(), 22, 28)).isEqualTo(MAC);
		assertThat(Arrays.copyOfRange(frame.array(), 28, 32)).isEqualTo(ip);
		assertThat(Arrays.copyOfRange(frame.array(), 38, 42)).isEqualTo(ip);
	}

	@Test
	void anUnsolicitedAdvertisementGoesToAllNodesWithOverrideAndAValidChecksum() {
		byte[] ip = IpAddress.parseLiteral("2001:db8::100").getAddress();
		byte[] frame = GratuitousFrames.advertisement(ip, MAC);
		ByteBuffer buffer = ByteBuffer.wrap(frame);

		assertThat(Arrays.copyOfRange(frame, 0, 6)).isEqualTo(new byte[] { 0x33, 0x33, 0, 0, 0, 1 });
		assertThat(buffer.getShort(12)).isEqualTo((short) 0x86DD);
		assertThat(frame[20]).as("next header ICMPv6").isEqualTo((byte) 58);
		assertThat(frame[21] & 0xff).as("hop limit").isEqualTo(255);
		assertThat(Arrays.copyOfRange(frame, 22, 38)).isEqualTo(ip);
		assertThat(frame[54] & 0xff).as("type: neighbour advertisement").isEqualTo(136);
		assertThat(buffer.getInt(58)).as("Override only").isEqualTo(0x20000000);
		assertThat(Arrays.copyOfRange(frame, 62, 78)).isEqualTo(ip);
		assertThat(frame[78]).as("target link-layer address option").isEqualTo((byte) 2);
		assertThat(Arrays.copyOfRange(frame, 80, 86)).isEqualTo(MAC);

		long sum = 0;
		byte[] pseudo = ByteBuffer.allocate(40 + 32)
			.put(frame, 22, 32)
			.putInt(32)
			.putInt(58)
			.put(frame, 54, 32)
			.array();
		for (int i = 0; i < pseudo.length; i += 2) {
			sum += ((pseudo[i] & 0xff) << 8) | (pseudo[i + 1] & 0xff);
		}
		while ((sum >> 16) != 0) {
			sum = (sum & 0xffff) + (sum >> 16);
		}
		assertThat(sum).isEqualTo(0xffff);
	}

}
