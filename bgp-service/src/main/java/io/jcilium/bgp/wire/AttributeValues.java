package io.jcilium.bgp.wire;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * The values of the attributes read so far from one UPDATE, each checked as RFC 4271
 * section 6.3 and RFC 7606 section 7 describe.
 */
final class AttributeValues {

	Origin origin;

	List<AsPathSegment> asPath;

	byte[] nextHop;

	Long med;

	Long localPref;

	List<Long> communities = List.of();

	MpReach mpReach;

	MpUnreach mpUnreach;

	/**
	 * Reads one attribute's value.
	 * @return the error when the value is malformed, else {@code null}
	 */
	BgpError read(AttributeKind kind, ByteBuf value, SessionCodecOptions options) {
		int length = value.readableBytes();
		return switch (kind) {
			case ORIGIN -> origin(value);
			case AS_PATH -> asPath(value, options);
			case NEXT_HOP -> nextHop(value);
			case MULTI_EXIT_DISC -> {
				if (length != 4) {
					yield BgpError.OPTIONAL_ATTRIBUTE_ERROR;
				}
				this.med = value.readUnsignedInt();
				yield null;
			}
			case LOCAL_PREF -> {
				if (length != 4) {
					yield BgpError.ATTRIBUTE_LENGTH_ERROR;
				}
				this.localPref = value.readUnsignedInt();
				yield null;
			}
			case ATOMIC_AGGREGATE -> (length == 0) ? null : BgpError.ATTRIBUTE_LENGTH_ERROR;
			case AGGREGATOR -> (length == (options.fourOctetAs() ? 8 : 6)) ? null : BgpError.ATTRIBUTE_LENGTH_ERROR;
			case AS4_AGGREGATOR -> (length == 8) ? null : BgpError.OPTIONAL_ATTRIBUTE_ERROR;
			case AS4_PATH -> (length > 0) ? null : BgpError.OPTIONAL_ATTRIBUTE_ERROR;
			case COMMUNITIES -> communities(value);
			case MP_REACH_NLRI -> mpReach(value);
			case MP_UNREACH_NLRI -> mpUnreach(value);
		};
	}

	private BgpError origin(ByteBuf value) {
		if (value.readableBytes() != 1) {
			return BgpError.ATTRIBUTE_LENGTH_ERROR;
		}
		this.origin = Origin.fromCode(value.readUnsignedByte());
		return (this.origin != null) ? null : BgpError.INVALID_ORIGIN_ATTRIBUTE;
	}

	/**
	 * RFC 4271 section 4.3 and RFC 7606 section 7.2: segments of known type, none empty.
	 */
	private BgpError asPath(ByteBuf value, SessionCodecOptions options) {
		int asnBytes = options.fourOctetAs() ? 4 : 2;
		List<AsPathSegment> segments = new ArrayList<>();
		while (value.isReadable()) {
			if (value.readableBytes() < 2) {
				return BgpError.MALFORMED_AS_PATH;
			}
			int type = value.readUnsignedByte();
			int count = value.readUnsignedByte();
			boolean knownType = type >= AsPathSegment.AS_SET && type <= 4;
			if (!knownType || count == 0 || value.readableBytes() < count * asnBytes) {
				return BgpError.MALFORMED_AS_PATH;
			}
			List<Long> asns = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				asns.add((asnBytes == 4) ? value.readUnsignedInt() : value.readUnsignedShort());
			}
			segments.add(new AsPathSegment(type, asns));
		}
		// RFC 4271 section 6.3: an eBGP peer's path starts with its own AS.
		if (!options.internal() && options.peerAsn() != 0 && !segments.isEmpty()) {
			AsPathSegment first = segments.get(0);
			if (first.type() != AsPathSegment.AS_SEQUENCE || first.asns().get(0) != options.peerAsn()) {
				return BgpError.MALFORMED_AS_PATH;
			}
		}
		this.asPath = segments;
		return null;
	}

	private BgpError nextHop(ByteBuf value) {
		if (value.readableBytes() != 4) {
			return BgpError.ATTRIBUTE_LENGTH_ERROR;
		}
		byte[] address = new byte[4];
		value.readBytes(address);
		int first = address[0] & 0xFF;
		long all = value.getUnsignedInt(0);
		// RFC 4271 section 6.3: a NEXT_HOP that is not a valid unicast address is
		// invalid.
		if (all == 0 || all == 0xFFFFFFFFL || (first >= 224 && first <= 239)) {
			return BgpError.INVALID_NEXT_HOP_ATTRIBUTE;
		}
		this.nextHop = address;
		return null;
	}

	private BgpError communities(ByteBuf value) {
		if (value.readableBytes() == 0 || value.readableBytes() % 4 != 0) {
			return BgpError.OPTIONAL_ATTRIBUTE_ERROR;
		}
		List<Long> all = new ArrayList<>(value.readableBytes() / 4);
		while (value.isReadable()) {
			all.add(value.readUnsignedInt());
		}
		this.communities = all;
		return null;
	}

	/** RFC 4760 section 3; any error here resets the session (RFC 7606 section 7.11). */
	private BgpError mpReach(ByteBuf value) {
		if (value.readableBytes() < 5) {
			return BgpError.OPTIONAL_ATTRIBUTE_ERROR;
		}
		AddressFamily family = AddressFamily.fromCodes(value.readUnsignedShort(), value.readUnsignedByte());
		int nextHopLength = value.readUnsignedByte();
		if (family == null) {
			return null;
		}
		boolean lengthFits = (family == AddressFamily.IPV4_UNICAST) ? nextHopLength == 4
				: nextHopLength == 16 || nextHopLength == 32;
		if (!lengthFits || value.readableBytes() < nextHopLength + 1) {
			return BgpError.OPTIONAL_ATTRIBUTE_ERROR;
		}
		byte[] nextHopBytes = new byte[nextHopLength];
		value.readBytes(nextHopBytes);
		value.skipBytes(1);
		try {
			this.mpReach = new MpReach(family, nextHopBytes,
					NlriCodec.read(value, value.readableBytes(), family, BgpError.OPTIONAL_ATTRIBUTE_ERROR));
			return null;
		}
		catch (BgpProtocolException ex) {
			return BgpError.OPTIONAL_ATTRIBUTE_ERROR;
		}
	}

	private BgpError mpUnreach(ByteBuf value) {
		if (value.readableBytes() < 3) {
			return BgpError.OPTIONAL_ATTRIBUTE_ERROR;
		}
		AddressFamily family = AddressFamily.fromCodes(value.readUnsignedShort(), value.readUnsignedByte());
		if (family == null) {
			return null;
		}
		try {
			this.mpUnreach = new MpUnreach(family,
					NlriCodec.read(value, value.readableBytes(), family, BgpError.OPTIONAL_ATTRIBUTE_ERROR));
			return null;
		}
		catch (BgpProtocolException ex) {
			return BgpError.OPTIONAL_ATTRIBUTE_ERROR;
		}
	}

	PathAttributes build() {
		return new PathAttributes(this.origin, this.asPath, this.nextHop, this.med, this.localPref, this.communities,
				this.mpReach, this.mpUnreach);
	}

}
