package io.jcilium.bgp.wire;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Packs many prefixes into as few UPDATEs as fit in 4096 bytes each: IPv4 in the NLRI and
 * Withdrawn Routes fields, IPv6 in MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760).
 */
public final class UpdatePacker {

	private UpdatePacker() {
	}

	/**
	 * UPDATEs announcing prefixes of one family with the same attributes.
	 * @param family the prefixes' family
	 * @param attributes ORIGIN, AS_PATH, MED, LOCAL_PREF, COMMUNITIES to send (NEXT_HOP
	 * and MP attributes are set here)
	 * @param nextHop 4 bytes for IPv4, 16 or 32 for IPv6
	 * @param prefixes the prefixes
	 * @param options the session's options
	 * @return the UPDATEs
	 */
	public static List<UpdateMessage> announce(AddressFamily family, PathAttributes attributes, byte[] nextHop,
			List<Prefix> prefixes, SessionCodecOptions options) {
		boolean ipv4 = family == AddressFamily.IPV4_UNICAST;
		PathAttributes base = new PathAttributes(attributes.origin(), attributes.asPath(), ipv4 ? nextHop : null,
				attributes.med(), attributes.localPref(), attributes.communities(),
				ipv4 ? null : new MpReach(family, nextHop, List.of()), null);
		int budget = BgpCodec.MAX_MESSAGE_BYTES - size(new UpdateMessage(List.of(), base, List.of()), options);
		List<UpdateMessage> updates = new ArrayList<>();
		for (List<Prefix> chunk : chunks(prefixes, budget)) {
			updates.add(ipv4 ? new UpdateMessage(List.of(), base, chunk)
					: new UpdateMessage(List.of(), withMpReach(base, new MpReach(family, nextHop, chunk)), List.of()));
		}
		return updates;
	}

	/** UPDATEs withdrawing prefixes of one family. */
	public static List<UpdateMessage> withdraw(AddressFamily family, List<Prefix> prefixes,
			SessionCodecOptions options) {
		boolean ipv4 = family == AddressFamily.IPV4_UNICAST;
		int budget = BgpCodec.MAX_MESSAGE_BYTES - size(endOfRib(family), options);
		List<UpdateMessage> updates = new ArrayList<>();
		for (List<Prefix> chunk : chunks(prefixes, budget)) {
			updates.add(ipv4 ? new UpdateMessage(chunk, PathAttributes.NONE, List.of()) : new UpdateMessage(List.of(),
					new PathAttributes(null, null, null, null, null, List.of(), null, new MpUnreach(family, chunk)),
					List.of()));
		}
		return updates;
	}

	/** The End-of-RIB marker of a family (RFC 4724 section 2). */
	public static UpdateMessage endOfRib(AddressFamily family) {
		if (family == AddressFamily.IPV4_UNICAST) {
			return new UpdateMessage(List.of(), PathAttributes.NONE, List.of());
		}
		return new UpdateMessage(List.of(),
				new PathAttributes(null, null, null, null, null, List.of(), null, new MpUnreach(family, List.of())),
				List.of());
	}

	private static PathAttributes withMpReach(PathAttributes a, MpReach reach) {
		return new PathAttributes(a.origin(), a.asPath(), a.nextHop(), a.med(), a.localPref(), a.communities(), reach,
				a.mpUnreach());
	}

	private static List<List<Prefix>> chunks(List<Prefix> prefixes, int budgetBytes) {
		List<List<Prefix>> chunks = new ArrayList<>();
		int from = 0;
		int used = 0;
		for (int i = 0; i < prefixes.size(); i++) {
			int bytes = NlriCodec.encodedBytes(prefixes.get(i));
			if (used + bytes > budgetBytes) {
				chunks.add(prefixes.subList(from, i));
				from = i;
				used = 0;
			}
			used += bytes;
		}
		if (from < prefixes.size()) {
			chunks.add(prefixes.subList(from, prefixes.size()));
		}
		return chunks;
	}

	private static int size(UpdateMessage update, SessionCodecOptions options) {
		ByteBuf buffer = Unpooled.buffer();
		try {
			BgpCodec.write(update, options, buffer);
			return buffer.readableBytes();
		}
		finally {
			buffer.release();
		}
	}

}
