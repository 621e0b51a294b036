package io.jcilium.bgp.wire;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.bgp.wire.AttributeProblem.Handling;
import io.netty.buffer.ByteBuf;

/**
 * Reads an UPDATE's body (RFC 4271 section 4.3) and applies the message-level checks of
 * section 6.3 as revised by RFC 7606.
 */
final class UpdateDecoder {

	private UpdateDecoder() {
	}

	static UpdateMessage read(ByteBuf body, SessionCodecOptions options) throws BgpProtocolException {
		int withdrawnLength = body.readUnsignedShort();
		if (withdrawnLength + 2 > body.readableBytes()) {
			throw new BgpProtocolException(BgpError.MALFORMED_ATTRIBUTE_LIST,
					"withdrawn routes length " + withdrawnLength + " runs past the message");
		}
		// RFC 7606 section 5.3: a malformed Withdrawn Routes or NLRI field resets the
		// session.
		List<Prefix> withdrawn = NlriCodec.read(body, withdrawnLength, AddressFamily.IPV4_UNICAST,
				BgpError.INVALID_NETWORK_FIELD);
		int attributesLength = body.readUnsignedShort();
		if (attributesLength > body.readableBytes()) {
			throw new BgpProtocolException(BgpError.MALFORMED_ATTRIBUTE_LIST,
					"total path attribute length " + attributesLength + " runs past the message");
		}
		AttributeDecoder.Result attributes = AttributeDecoder.read(body.readSlice(attributesLength), options);
		List<Prefix> nlri = NlriCodec.read(body, body.readableBytes(), AddressFamily.IPV4_UNICAST,
				BgpError.INVALID_NETWORK_FIELD);
		List<AttributeProblem> problems = new ArrayList<>(attributes.problems());
		missingMandatory(attributes.attributes(), nlri, options, problems);
		return new UpdateMessage(withdrawn, attributes.attributes(), nlri, problems);
	}

	/**
	 * RFC 4271 section 6.3 and RFC 7606 section 3 (d): when an UPDATE carries reachable
	 * prefixes, a missing ORIGIN, AS_PATH, NEXT_HOP (for the IPv4 NLRI field) or, on
	 * iBGP, LOCAL_PREF makes it treat-as-withdraw.
	 */
	private static void missingMandatory(PathAttributes a, List<Prefix> nlri, SessionCodecOptions options,
			List<AttributeProblem> problems) {
		boolean reachable = !nlri.isEmpty() || (a.mpReach() != null && !a.mpReach().nlri().isEmpty());
		if (!reachable) {
			return;
		}
		missing(a.origin() == null, PathAttributes.ORIGIN, problems);
		missing(a.asPath() == null, PathAttributes.AS_PATH, problems);
		missing(!nlri.isEmpty() && a.nextHop() == null, PathAttributes.NEXT_HOP, problems);
		missing(options.internal() && a.localPref() == null, PathAttributes.LOCAL_PREF, problems);
	}

	private static void missing(boolean absent, int typeCode, List<AttributeProblem> problems) {
		boolean alreadyMalformed = problems.stream().anyMatch((p) -> p.typeCode() == typeCode);
		if (absent && !alreadyMalformed) {
			problems
				.add(new AttributeProblem(BgpError.MISSING_WELL_KNOWN_ATTRIBUTE, typeCode, Handling.TREAT_AS_WITHDRAW));
		}
	}

}
