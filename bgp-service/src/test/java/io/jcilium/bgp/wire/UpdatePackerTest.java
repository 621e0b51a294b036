package io.jcilium.bgp.wire;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many prefixes packed into UPDATEs that each fit 4096 bytes and read back to the same
 * prefixes and attributes.
 */
class UpdatePackerTest {

	private static final SessionCodecOptions OPTIONS = new SessionCodecOptions(true, false, 4200000000L);

	private static final PathAttributes ATTRIBUTES = new PathAttributes(Origin.IGP,
			List.of(AsPathSegment.sequence(List.of(4200000000L))), null, 10L, null, List.of(1L), null, null);

	@Test
	void tenThousandIpv4PrefixesRoundTripInFullMessages() throws BgpProtocolException {
		List<Prefix> prefixes = prefixes(10_000, false);
		List<UpdateMessage> updates = UpdatePacker.announce(AddressFamily.IPV4_UNICAST, ATTRIBUTES,
				new byte[] { 10, 0, 0, 1 }, prefixes, OPTIONS);
		assertThat(readBack(updates)).containsExactlyElementsOf(prefixes);
		assertThat(updates.size()).isLessThan(10_000 * 4 / 4000 + 2);
	}

	@Test
	void ipv6PrefixesGoInMpReachAndWithdrawalsInMpUnreach() throws BgpProtocolException {
		List<Prefix> prefixes = prefixes(3000, true);
		byte[] nextHop = Prefix.parse("2001:db8::1/128").address();
		List<UpdateMessage> updates = UpdatePacker.announce(AddressFamily.IPV6_UNICAST, ATTRIBUTES, nextHop, prefixes,
				OPTIONS);
		assertThat(readBack(updates)).containsExactlyElementsOf(prefixes);
		List<Prefix> withdrawn = new ArrayList<>();
		for (UpdateMessage update : UpdatePacker.withdraw(AddressFamily.IPV6_UNICAST, prefixes, OPTIONS)) {
			byte[] bytes = Messages.write(update, OPTIONS);
			assertThat(bytes.length).isLessThanOrEqualTo(BgpCodec.MAX_MESSAGE_BYTES);
			withdrawn.addAll(((UpdateMessage) Messages.read(bytes, OPTIONS)).unreachable());
		}
		assertThat(withdrawn).containsExactlyElementsOf(prefixes);
	}

	@Test
	void twoOctetSessionsCarryAsTransForALargeAs() throws BgpProtocolException {
		SessionCodecOptions twoOctet = new SessionCodecOptions(false, false, 0);
		UpdateMessage update = UpdatePacker
			.announce(AddressFamily.IPV4_UNICAST, ATTRIBUTES, new byte[] { 10, 0, 0, 1 }, prefixes(1, false), twoOctet)
			.get(0);
		UpdateMessage read = (UpdateMessage) Messages.read(Messages.write(update, twoOctet), twoOctet);
		assertThat(read.attributes().asPath().get(0).asns()).containsExactly((long) OpenMessage.AS_TRANS);
		assertThat(read.problems()).as("the AS4_PATH next to it is well formed").isEmpty();
		// AS4_PATH (optional transitive, type 17): one AS_SEQUENCE of the real 4-octet
		// AS.
		assertThat(attributeTypes(Messages.write(update, twoOctet))).contains(17);
		assertThat(Messages.write(update, twoOctet)).containsSequence(0xD0, 17, 0, 6, AsPathSegment.AS_SEQUENCE, 1,
				0xFA, 0x56, 0xEA, 0x00);
	}

	@Test
	void twoOctetSessionsGetNoAs4PathWhenEveryAsFitsTwoOctets() throws BgpProtocolException {
		SessionCodecOptions twoOctet = new SessionCodecOptions(false, false, 0);
		PathAttributes small = new PathAttributes(Origin.IGP, List.of(AsPathSegment.sequence(List.of(65010L))), null,
				null, null, List.of(), null, null);
		byte[] bytes = Messages.write(UpdatePacker
			.announce(AddressFamily.IPV4_UNICAST, small, new byte[] { 10, 0, 0, 1 }, prefixes(1, false), twoOctet)
			.get(0), twoOctet);
		assertThat(bytes).containsSequence(0x50, 2, 0, 4, AsPathSegment.AS_SEQUENCE, 1, 0xFD, 0xF2);
		assertThat(attributeTypes(bytes)).as("no AS4_PATH").doesNotContain(17);
	}

	/** The path attribute type codes of an UPDATE as written, header included. */
	private static List<Integer> attributeTypes(byte[] update) {
		int withdrawnLength = ((update[19] & 0xFF) << 8) | (update[20] & 0xFF);
		int at = 21 + withdrawnLength;
		int end = at + 2 + (((update[at] & 0xFF) << 8) | (update[at + 1] & 0xFF));
		List<Integer> types = new ArrayList<>();
		for (at += 2; at < end;) {
			boolean extended = (update[at] & PathAttributes.FLAG_EXTENDED_LENGTH) != 0;
			types.add(update[at + 1] & 0xFF);
			int length = extended ? (((update[at + 2] & 0xFF) << 8) | (update[at + 3] & 0xFF))
					: (update[at + 2] & 0xFF);
			at += (extended ? 4 : 3) + length;
		}
		return types;
	}

	private static List<Prefix> readBack(List<UpdateMessage> updates) throws BgpProtocolException {
		List<Prefix> read = new ArrayList<>();
		for (UpdateMessage update : updates) {
			byte[] bytes = Messages.write(update, OPTIONS);
			assertThat(bytes.length).isLessThanOrEqualTo(BgpCodec.MAX_MESSAGE_BYTES);
			UpdateMessage back = (UpdateMessage) Messages.read(bytes, OPTIONS);
			assertThat(back.problems()).isEmpty();
			assertThat(back.attributes().med()).isEqualTo(10L);
			assertThat(back.attributes().asPath()).isEqualTo(ATTRIBUTES.asPath());
			read.addAll(back.reachable());
		}
		return read;
	}

	static List<Prefix> prefixes(int count, boolean ipv6) {
		List<Prefix> prefixes = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String text = ipv6 ? String.format("2001:db8:%x:%x::/64", i >> 16, i & 0xFFFF)
					: String.format("10.%d.%d.0/24", i >> 8, i & 0xFF);
			prefixes.add(Prefix.parse(text));
		}
		return prefixes;
	}

}
