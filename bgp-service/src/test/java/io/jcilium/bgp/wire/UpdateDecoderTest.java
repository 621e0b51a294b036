package io.jcilium.bgp.wire;

import java.util.List;

import io.jcilium.bgp.wire.AttributeProblem.Handling;
import org.junit.jupiter.api.Test;

import static io.jcilium.bgp.wire.Messages.asPath;
import static io.jcilium.bgp.wire.Messages.bytes;
import static io.jcilium.bgp.wire.Messages.concat;
import static io.jcilium.bgp.wire.Messages.nextHop;
import static io.jcilium.bgp.wire.Messages.origin;
import static io.jcilium.bgp.wire.Messages.update;
import static io.jcilium.bgp.wire.Messages.validAttributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * UPDATE errors (RFC 4271 section 6.3) and their RFC 7606 treatment: each malformed case
 * either resets the session with its NOTIFICATION or is handled as RFC 7606 prescribes.
 */
class UpdateDecoderTest {

	private static final SessionCodecOptions EBGP = new SessionCodecOptions(true, false, 65001);

	private static final SessionCodecOptions IBGP = new SessionCodecOptions(true, true, 65001);

	private static final byte[] NLRI = bytes(24, 10, 0, 0);

	private static final Prefix TEN = Prefix.parse("10.0.0.0/24");

	@Test
	void aValidIpv4UpdateIsRead() throws BgpProtocolException {
		byte[] attributes = concat(validAttributes(), bytes(0x80, 4, 4, 0, 0, 0, 50),
				bytes(0xC0, 8, 4, 0xFD, 0xE8, 0, 1));
		UpdateMessage update = read(update(bytes(16, 10, 9), attributes, NLRI), EBGP);
		assertThat(update.reachable()).containsExactly(TEN);
		assertThat(update.unreachable()).containsExactly(Prefix.parse("10.9.0.0/16"));
		assertThat(update.attributes().origin()).isEqualTo(Origin.IGP);
		assertThat(update.attributes().asPath()).containsExactly(AsPathSegment.sequence(List.of(65001L)));
		assertThat(update.attributes().med()).isEqualTo(50L);
		assertThat(update.attributes().communities()).containsExactly((65000L << 16) | 1);
		assertThat(update.problems()).isEmpty();
	}

	@Test
	void withdrawnRoutesLengthPastTheMessageIsMalformedAttributeList() {
		byte[] message = update(new byte[0], new byte[0], new byte[0]);
		message[20] = 9;
		assertReset(message, BgpError.MALFORMED_ATTRIBUTE_LIST, new byte[0]);
	}

	@Test
	void totalAttributeLengthPastTheMessageIsMalformedAttributeList() {
		byte[] message = update(new byte[0], validAttributes(), new byte[0]);
		message[22] = 100;
		assertReset(message, BgpError.MALFORMED_ATTRIBUTE_LIST, new byte[0]);
	}

	@Test
	void aPrefixLongerThan32BitsIsInvalidNetworkField() {
		assertReset(update(new byte[0], validAttributes(), bytes(33, 10, 0, 0, 0, 0)), BgpError.INVALID_NETWORK_FIELD,
				new byte[0]);
	}

	@Test
	void aWithdrawnPrefixRunningPastItsFieldIsInvalidNetworkField() {
		assertReset(update(bytes(24, 10, 0), new byte[0], new byte[0]), BgpError.INVALID_NETWORK_FIELD, new byte[0]);
	}

	@Test
	void anUnrecognizedWellKnownAttributeResetsWithTheAttributeAsData() {
		byte[] unknown = bytes(0x40, 99, 1, 7);
		assertReset(update(new byte[0], concat(validAttributes(), unknown), NLRI),
				BgpError.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, unknown);
	}

	@Test
	void anUnrecognizedOptionalAttributeIsIgnored() throws BgpProtocolException {
		UpdateMessage update = read(update(new byte[0], concat(validAttributes(), bytes(0xC0, 99, 1, 7)), NLRI), EBGP);
		assertThat(update.reachable()).containsExactly(TEN);
		assertThat(update.problems()).isEmpty();
	}

	@Test
	void aMissingOriginIsTreatAsWithdraw() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(asPath(65001), nextHop(192, 0, 2, 1)), BgpError.MISSING_WELL_KNOWN_ATTRIBUTE, 1);
	}

	@Test
	void aMissingAsPathIsTreatAsWithdraw() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(origin(0), nextHop(192, 0, 2, 1)), BgpError.MISSING_WELL_KNOWN_ATTRIBUTE, 2);
	}

	@Test
	void aMissingNextHopIsTreatAsWithdraw() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(origin(0), asPath(65001)), BgpError.MISSING_WELL_KNOWN_ATTRIBUTE, 3);
	}

	@Test
	void anUndefinedOriginIsTreatAsWithdraw() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(origin(3), asPath(65001), nextHop(192, 0, 2, 1)),
				BgpError.INVALID_ORIGIN_ATTRIBUTE, 1);
	}

	@Test
	void anOriginMarkedOptionalIsAFlagsErrorTreatedAsWithdraw() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(bytes(0xC0, 1, 1, 0), asPath(65001), nextHop(192, 0, 2, 1)),
				BgpError.ATTRIBUTE_FLAGS_ERROR, 1);
	}

	@Test
	void anOriginOfTwoBytesIsALengthErrorTreatedAsWithdraw() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(bytes(0x40, 1, 2, 0, 0), asPath(65001), nextHop(192, 0, 2, 1)),
				BgpError.ATTRIBUTE_LENGTH_ERROR, 1);
	}

	@Test
	void anEmptyAsPathSegmentIsMalformedAsPathTreatedAsWithdraw() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(origin(0), bytes(0x40, 2, 2, 2, 0), nextHop(192, 0, 2, 1)),
				BgpError.MALFORMED_AS_PATH, 2);
	}

	@Test
	void anAsPathSegmentRunningPastItsAttributeIsMalformedAsPath() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(origin(0), bytes(0x40, 2, 6, 2, 2, 0, 0, 0xFD, 0xE9), nextHop(192, 0, 2, 1)),
				BgpError.MALFORMED_AS_PATH, 2);
	}

	@Test
	void anEbgpPathNotStartingWithThePeersAsIsMalformedAsPath() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(origin(0), asPath(65099), nextHop(192, 0, 2, 1)), BgpError.MALFORMED_AS_PATH, 2);
	}

	@Test
	void aMulticastNextHopIsInvalidNextHopTreatedAsWithdraw() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(origin(0), asPath(65001), nextHop(224, 0, 0, 5)),
				BgpError.INVALID_NEXT_HOP_ATTRIBUTE, 3);
	}

	@Test
	void aNextHopOfFiveBytesIsALengthErrorTreatedAsWithdraw() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(origin(0), asPath(65001), bytes(0x40, 3, 5, 192, 0, 2, 1, 0)),
				BgpError.ATTRIBUTE_LENGTH_ERROR, 3);
	}

	@Test
	void aMedOfThreeBytesIsTreatAsWithdraw() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(validAttributes(), bytes(0x80, 4, 3, 0, 0, 1)), BgpError.OPTIONAL_ATTRIBUTE_ERROR,
				4);
	}

	@Test
	void communitiesNotAMultipleOfFourBytesAreTreatAsWithdraw() throws BgpProtocolException {
		assertTreatAsWithdraw(concat(validAttributes(), bytes(0xC0, 8, 3, 0, 0, 1)), BgpError.OPTIONAL_ATTRIBUTE_ERROR,
				8);
	}

	@Test
	void aMissingLocalPrefOnIbgpIsTreatAsWithdraw() throws BgpProtocolException {
		UpdateMessage update = read(update(new byte[0], validAttributes(), NLRI), IBGP);
		assertThat(update.treatAsWithdraw()).isTrue();
		assertThat(update.unreachable()).containsExactly(TEN);
	}

	@Test
	void aMalformedLocalPrefFromAnEbgpPeerIsDiscarded() throws BgpProtocolException {
		assertDiscarded(bytes(0x40, 5, 2, 0, 100), 5);
	}

	@Test
	void aMalformedAtomicAggregateIsDiscarded() throws BgpProtocolException {
		assertDiscarded(bytes(0x40, 6, 1, 0), 6);
	}

	@Test
	void aMalformedAggregatorIsDiscarded() throws BgpProtocolException {
		assertDiscarded(bytes(0xC0, 7, 5, 0, 0, 0, 0, 0), 7);
	}

	@Test
	void aRepeatedAttributeIsDiscardedAfterItsFirstOccurrence() throws BgpProtocolException {
		UpdateMessage update = read(update(new byte[0], concat(validAttributes(), origin(2)), NLRI), EBGP);
		assertThat(update.reachable()).containsExactly(TEN);
		assertThat(update.attributes().origin()).isEqualTo(Origin.IGP);
		assertThat(update.problems()).extracting(AttributeProblem::handling)
			.containsExactly(Handling.ATTRIBUTE_DISCARD);
	}

	@Test
	void aRepeatedMpReachResetsWithMalformedAttributeList() {
		byte[] reach = mpReachIpv6(16, bytes(32, 0x20, 0x01, 0x0d, 0xb8));
		assertReset(update(new byte[0], concat(reach, reach, origin(0), asPath(65001)), new byte[0]),
				BgpError.MALFORMED_ATTRIBUTE_LIST, new byte[0]);
	}

	@Test
	void anIpv6RouteInMpReachIsRead() throws BgpProtocolException {
		byte[] reach = mpReachIpv6(16, bytes(32, 0x20, 0x01, 0x0d, 0xb8));
		UpdateMessage update = read(update(new byte[0], concat(reach, origin(0), asPath(65001)), new byte[0]), EBGP);
		assertThat(update.reachable()).containsExactly(Prefix.parse("2001:db8::/32"));
		assertThat(update.problems()).isEmpty();
	}

	@Test
	void anMpReachNextHopOfTheWrongLengthResetsWithTheAttributeAsData() {
		byte[] reach = concat(bytes(0x80, 14, 10, 0, 2, 1, 5), new byte[5], bytes(0));
		assertReset(update(new byte[0], concat(reach, origin(0), asPath(65001)), new byte[0]),
				BgpError.OPTIONAL_ATTRIBUTE_ERROR, reach);
	}

	@Test
	void anMpReachPrefixRunningPastTheAttributeResets() {
		byte[] reach = mpReachIpv6(16, bytes(64, 0x20, 0x01));
		assertReset(update(new byte[0], concat(reach, origin(0), asPath(65001)), new byte[0]),
				BgpError.OPTIONAL_ATTRIBUTE_ERROR, reach);
	}

	@Test
	void anAttributeRunningPastTheListBeforeAnyMpAttributeResets() {
		assertReset(update(new byte[0], concat(origin(0), bytes(0x40, 2, 40, 2)), NLRI),
				BgpError.MALFORMED_ATTRIBUTE_LIST, new byte[0]);
	}

	@Test
	void anAttributeRunningPastTheListAfterMpReachIsTreatAsWithdraw() throws BgpProtocolException {
		byte[] reach = mpReachIpv6(16, bytes(32, 0x20, 0x01, 0x0d, 0xb8));
		UpdateMessage update = read(update(new byte[0], concat(reach, origin(0), bytes(0x40, 2, 40, 2)), new byte[0]),
				EBGP);
		assertThat(update.treatAsWithdraw()).isTrue();
		assertThat(update.unreachable()).containsExactly(Prefix.parse("2001:db8::/32"));
	}

	@Test
	void endOfRibMarkersAreRecognized() throws BgpProtocolException {
		for (AddressFamily family : AddressFamily.values()) {
			byte[] marker = Messages.write(UpdatePacker.endOfRib(family), EBGP);
			assertThat(read(marker, EBGP).endOfRib()).isEqualTo(family);
		}
		assertThat(read(update(new byte[0], validAttributes(), NLRI), EBGP).endOfRib()).isNull();
	}

	/**
	 * MP_REACH_NLRI for IPv6 unicast, a next hop of that many bytes (2001:db8::1...),
	 * NLRI.
	 */
	private static byte[] mpReachIpv6(int nextHopLength, byte[] nlri) {
		byte[] nextHop = new byte[nextHopLength];
		nextHop[0] = 0x20;
		nextHop[1] = 0x01;
		nextHop[nextHopLength - 1] = 1;
		int length = 5 + nextHopLength + nlri.length;
		return concat(bytes(0x80, 14, length, 0, 2, 1, nextHopLength), nextHop, bytes(0), nlri);
	}

	private static void assertTreatAsWithdraw(byte[] attributes, BgpError error, int typeCode)
			throws BgpProtocolException {
		UpdateMessage update = read(update(new byte[0], attributes, NLRI), EBGP);
		assertThat(update.treatAsWithdraw()).isTrue();
		assertThat(update.reachable()).isEmpty();
		assertThat(update.unreachable()).containsExactly(TEN);
		assertThat(update.problems()).contains(new AttributeProblem(error, typeCode, Handling.TREAT_AS_WITHDRAW));
	}

	private static void assertDiscarded(byte[] attribute, int typeCode) throws BgpProtocolException {
		UpdateMessage update = read(update(new byte[0], concat(validAttributes(), attribute), NLRI), EBGP);
		assertThat(update.reachable()).containsExactly(TEN);
		assertThat(update.problems()).extracting(AttributeProblem::typeCode, AttributeProblem::handling)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(typeCode, Handling.ATTRIBUTE_DISCARD));
	}

	private static UpdateMessage read(byte[] message, SessionCodecOptions options) throws BgpProtocolException {
		return (UpdateMessage) Messages.read(message, options);
	}

	private static void assertReset(byte[] message, BgpError error, byte[] data) {
		assertThatExceptionOfType(BgpProtocolException.class).isThrownBy(() -> Messages.read(message, EBGP))
			.satisfies((ex) -> {
				assertThat(ex.notification().error()).isEqualTo(error);
				assertThat(ex.notification().data()).isEqualTo(data);
			});
	}

}
