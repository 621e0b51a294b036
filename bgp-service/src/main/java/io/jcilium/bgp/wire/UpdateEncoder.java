package io.jcilium.bgp.wire;

import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * Writes an UPDATE's body (RFC 4271 section 4.3). MP_REACH_NLRI and MP_UNREACH_NLRI come
 * first, as RFC 7606 section 5.1 asks, so a receiver can always find their NLRI.
 */
final class UpdateEncoder {

	private static final int WELL_KNOWN = PathAttributes.FLAG_TRANSITIVE;

	private static final int OPTIONAL = PathAttributes.FLAG_OPTIONAL;

	private static final int OPTIONAL_TRANSITIVE = PathAttributes.FLAG_OPTIONAL | PathAttributes.FLAG_TRANSITIVE;

	private UpdateEncoder() {
	}

	static void write(UpdateMessage update, SessionCodecOptions options, ByteBuf out) {
		int withdrawnStart = out.writerIndex();
		out.writeShort(0);
		for (Prefix prefix : update.withdrawn()) {
			NlriCodec.write(prefix, out);
		}
		out.setShort(withdrawnStart, out.writerIndex() - withdrawnStart - 2);
		int attributesStart = out.writerIndex();
		out.writeShort(0);
		writeAttributes(update.attributes(), options, out);
		out.setShort(attributesStart, out.writerIndex() - attributesStart - 2);
		for (Prefix prefix : update.nlri()) {
			NlriCodec.write(prefix, out);
		}
	}

	private static void writeAttributes(PathAttributes a, SessionCodecOptions options, ByteBuf out) {
		if (a.mpReach() != null) {
			int start = begin(OPTIONAL, PathAttributes.MP_REACH_NLRI, out);
			MpReach reach = a.mpReach();
			out.writeShort(reach.family().afi()).writeByte(reach.family().safi());
			out.writeByte(reach.nextHop().length).writeBytes(reach.nextHop()).writeByte(0);
			for (Prefix prefix : reach.nlri()) {
				NlriCodec.write(prefix, out);
			}
			end(start, out);
		}
		if (a.mpUnreach() != null) {
			int start = begin(OPTIONAL, PathAttributes.MP_UNREACH_NLRI, out);
			out.writeShort(a.mpUnreach().family().afi()).writeByte(a.mpUnreach().family().safi());
			for (Prefix prefix : a.mpUnreach().withdrawn()) {
				NlriCodec.write(prefix, out);
			}
			end(start, out);
		}
		if (a.origin() != null) {
			end(begin(WELL_KNOWN, PathAttributes.ORIGIN, out), out.writeByte(a.origin().code()));
		}
		if (a.asPath() != null) {
			int start = begin(WELL_KNOWN, PathAttributes.AS_PATH, out);
			writeSegments(a.asPath(), options.fourOctetAs(), out);
			end(start, out);
			if (!options.fourOctetAs() && needsFourOctets(a.asPath())) {
				// RFC 6793 section 4.2.2: towards a 2-octet speaker the real path travels
				// in AS4_PATH next to the AS_TRANS one, so the peer can rebuild it (and
				// find its own AS in it for loop detection); not sent when every ASN fits
				// two octets.
				int as4Start = begin(OPTIONAL_TRANSITIVE, PathAttributes.AS4_PATH, out);
				writeSegments(a.asPath(), true, out);
				end(as4Start, out);
			}
		}
		if (a.nextHop() != null) {
			end(begin(WELL_KNOWN, PathAttributes.NEXT_HOP, out), out.writeBytes(a.nextHop()));
		}
		if (a.med() != null) {
			end(begin(OPTIONAL, PathAttributes.MULTI_EXIT_DISC, out), out.writeInt(a.med().intValue()));
		}
		if (a.localPref() != null) {
			end(begin(WELL_KNOWN, PathAttributes.LOCAL_PREF, out), out.writeInt(a.localPref().intValue()));
		}
		if (!a.communities().isEmpty()) {
			int start = begin(OPTIONAL_TRANSITIVE, PathAttributes.COMMUNITIES, out);
			for (long community : a.communities()) {
				out.writeInt((int) community);
			}
			end(start, out);
		}
	}

	private static void writeSegments(List<AsPathSegment> segments, boolean fourOctets, ByteBuf out) {
		for (AsPathSegment segment : segments) {
			out.writeByte(segment.type()).writeByte(segment.asns().size());
			for (long asn : segment.asns()) {
				if (fourOctets) {
					out.writeInt((int) asn);
				}
				else {
					// RFC 6793 section 4.2.2: an AS that needs four octets travels as
					// AS_TRANS.
					out.writeShort((asn > 0xFFFF) ? OpenMessage.AS_TRANS : (int) asn);
				}
			}
		}
	}

	private static boolean needsFourOctets(List<AsPathSegment> segments) {
		return segments.stream().flatMap((segment) -> segment.asns().stream()).anyMatch((asn) -> asn > 0xFFFF);
	}

	/**
	 * Writes flags (always with the extended length bit, so a value of any size fits) and
	 * type, and returns where the length goes.
	 */
	private static int begin(int flags, int type, ByteBuf out) {
		out.writeByte(flags | PathAttributes.FLAG_EXTENDED_LENGTH).writeByte(type);
		int lengthIndex = out.writerIndex();
		out.writeShort(0);
		return lengthIndex;
	}

	private static void end(int lengthIndex, ByteBuf out) {
		out.setShort(lengthIndex, out.writerIndex() - lengthIndex - 2);
	}

}
