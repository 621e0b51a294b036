package io.jcilium.bgp.wire;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static io.jcilium.bgp.wire.Messages.bytes;
import static io.jcilium.bgp.wire.Messages.concat;
import static io.jcilium.bgp.wire.Messages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * OPEN and its capabilities (RFC 4271 section 4.2 and 6.2, RFC 5492, RFC 6793, RFC 4760,
 * RFC 2918, RFC 4724).
 */
class OpenCodecTest {

	private static final SessionCodecOptions OPTIONS = SessionCodecOptions.BEFORE_OPEN;

	@Test
	void everyCapabilityRoundTrips() throws BgpProtocolException {
		GracefulRestart gr = new GracefulRestart(true, 120, Map.of(AddressFamily.IPV4_UNICAST, false));
		OpenMessage open = new OpenMessage(OpenMessage.AS_TRANS, 90, 0xC0000201L, new Capabilities(
				Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), true, true, 4200000001L, gr));
		OpenMessage read = (OpenMessage) Messages.read(Messages.write(open, OPTIONS), OPTIONS);
		assertThat(read).isEqualTo(open);
		assertThat(read.asn()).isEqualTo(4200000001L);
	}

	@Test
	void unknownCapabilitiesAreIgnored() throws BgpProtocolException {
		// capabilities: 73 (FQDN, unknown here) with 3 bytes, then route refresh
		byte[] params = bytes(2, 7, 73, 3, 1, 2, 3, 2, 0);
		OpenMessage read = (OpenMessage) Messages.read(open(4, 65001, 90, params), OPTIONS);
		assertThat(read.capabilities().routeRefresh()).isTrue();
		assertThat(read.capabilities().multiprotocol()).isEmpty();
		assertThat(read.asn()).isEqualTo(65001);
	}

	@Test
	void withoutMultiprotocolOnlyIpv4UnicastIsCommon() {
		Capabilities ours = new Capabilities(Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), true, true,
				1, null);
		Capabilities theirs = new Capabilities(Set.of(), false, false, 0, null);
		assertThat(ours.commonFamilies(theirs)).containsExactly(AddressFamily.IPV4_UNICAST);
	}

	@Test
	void versionOtherThan4IsUnsupportedVersionWithOurVersionAsData() {
		assertNotification(open(3, 65001, 90, new byte[0]), BgpError.UNSUPPORTED_VERSION_NUMBER, bytes(0, 4));
	}

	@Test
	void holdTimeOf1Or2IsUnacceptable() {
		assertNotification(open(4, 65001, 2, new byte[0]), BgpError.UNACCEPTABLE_HOLD_TIME, new byte[0]);
	}

	@Test
	void bgpIdentifierZeroIsBad() {
		byte[] open = open(4, 65001, 90, new byte[0]);
		open[24] = open[25] = open[26] = open[27] = 0;
		assertNotification(open, BgpError.BAD_BGP_IDENTIFIER, new byte[0]);
	}

	@Test
	void anOptionalParameterOtherThanCapabilitiesIsUnsupported() {
		assertNotification(open(4, 65001, 90, bytes(1, 2, 0, 0)), BgpError.UNSUPPORTED_OPTIONAL_PARAMETER, new byte[0]);
	}

	@Test
	void parametersOverrunningTheMessageAreOpenUnspecific() {
		assertNotification(open(4, 65001, 90, bytes(2, 9, 2, 0)), BgpError.OPEN_UNSPECIFIC, new byte[0]);
	}

	@Test
	void aFourOctetAsCapabilityOfTheWrongLengthIsOpenUnspecific() {
		assertNotification(open(4, 65001, 90, bytes(2, 4, 65, 2, 0, 1)), BgpError.OPEN_UNSPECIFIC, new byte[0]);
	}

	@Test
	void aParametersLengthThatDisagreesWithTheMessageIsOpenUnspecific() {
		byte[] open = open(4, 65001, 90, bytes(2, 2, 2, 0));
		open[28] = 3;
		assertNotification(open, BgpError.OPEN_UNSPECIFIC, new byte[0]);
	}

	/** An OPEN with BGP identifier 192.0.2.9 and the given optional parameters. */
	static byte[] open(int version, int asn, int holdTime, byte[] parameters) {
		return message(1, concat(
				bytes(version, asn >> 8, asn, holdTime >> 8, holdTime, 192, 0, 2, 9, parameters.length), parameters));
	}

	private static void assertNotification(byte[] message, BgpError error, byte[] data) {
		assertThatExceptionOfType(BgpProtocolException.class).isThrownBy(() -> Messages.read(message, OPTIONS))
			.satisfies((ex) -> {
				assertThat(ex.notification().error()).isEqualTo(error);
				assertThat(ex.notification().data()).isEqualTo(data);
			});
	}

}
