package io.jcilium.bgp.wire;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.jcilium.bgp.wire.AttributeProblem.Handling;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Reads the Path Attributes field of one UPDATE (RFC 4271 sections 4.3, 5 and 6.3), with
 * RFC 7606's revised error handling: a malformed attribute whose only harm is to its own
 * routes gets "treat-as-withdraw" or "attribute discard" instead of a session reset. What
 * still resets the session throws {@link BgpProtocolException}.
 */
final class AttributeDecoder {

	private final SessionCodecOptions options;

	private final AttributeValues values = new AttributeValues();

	private final Set<Integer> seen = new HashSet<>();

	private final List<AttributeProblem> problems = new ArrayList<>();

	private AttributeDecoder(SessionCodecOptions options) {
		this.options = options;
	}

	/** What one Path Attributes field holds. */
	record Result(PathAttributes attributes, List<AttributeProblem> problems) {
	}

	static Result read(ByteBuf field, SessionCodecOptions options) throws BgpProtocolException {
		AttributeDecoder decoder = new AttributeDecoder(options);
		decoder.readAll(field);
		return new Result(decoder.values.build(), decoder.problems);
	}

	private void readAll(ByteBuf field) throws BgpProtocolException {
		while (field.isReadable()) {
			int start = field.readerIndex();
			int flags = field.readUnsignedByte();
			boolean extended = (flags & PathAttributes.FLAG_EXTENDED_LENGTH) != 0;
			if (field.readableBytes() < (extended ? 3 : 2)) {
				overrun("truncated attribute header");
				return;
			}
			int type = field.readUnsignedByte();
			int length = extended ? field.readUnsignedShort() : field.readUnsignedByte();
			if (length > field.readableBytes()) {
				overrun("attribute " + type + " of " + length + " bytes runs past the attribute list");
				return;
			}
			ByteBuf value = field.readSlice(length);
			byte[] whole = ByteBufUtil.getBytes(field, start, field.readerIndex() - start);
			attribute(flags, type, value, whole);
		}
	}

	/**
	 * RFC 7606 section 4: an attribute running past the list is treat-as-withdraw when
	 * the NLRI can still be located. Prefixes of other families hide in MP_REACH_NLRI,
	 * which a sender puts first (section 5.1): when none was read before the overrun, its
	 * NLRI may be lost, and only a session reset is safe.
	 */
	private void overrun(String detail) throws BgpProtocolException {
		if (this.values.mpReach == null && this.values.mpUnreach == null) {
			throw new BgpProtocolException(BgpError.MALFORMED_ATTRIBUTE_LIST, detail);
		}
		this.problems.add(new AttributeProblem(BgpError.MALFORMED_ATTRIBUTE_LIST, 0, Handling.TREAT_AS_WITHDRAW));
	}

	private void attribute(int flags, int type, ByteBuf value, byte[] whole) throws BgpProtocolException {
		boolean multiprotocol = type == PathAttributes.MP_REACH_NLRI || type == PathAttributes.MP_UNREACH_NLRI;
		if (!this.seen.add(type)) {
			// RFC 7606 section 3 (g): a repeated MP attribute resets, any other repeat is
			// dropped.
			if (multiprotocol) {
				throw new BgpProtocolException(BgpError.MALFORMED_ATTRIBUTE_LIST, "attribute " + type + " repeated");
			}
			this.problems
				.add(new AttributeProblem(BgpError.MALFORMED_ATTRIBUTE_LIST, type, Handling.ATTRIBUTE_DISCARD));
			return;
		}
		AttributeKind kind = AttributeKind.of(type);
		if (kind == null) {
			unknown(flags, type, whole);
			return;
		}
		if (!kind.flagsMatch(flags)) {
			malformed(kind, BgpError.ATTRIBUTE_FLAGS_ERROR, whole, "flags 0x" + Integer.toHexString(flags));
			return;
		}
		BgpError error = this.values.read(kind, value, this.options);
		if (error != null) {
			malformed(kind, error, whole, "value of " + value.capacity() + " bytes");
		}
	}

	private void unknown(int flags, int type, byte[] whole) throws BgpProtocolException {
		if ((flags & PathAttributes.FLAG_OPTIONAL) == 0) {
			// RFC 4271 section 6.3: an unrecognized well-known attribute resets the
			// session.
			throw new BgpProtocolException(BgpError.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, whole,
					"unrecognized well-known attribute " + type);
		}
		// An unrecognized optional attribute is accepted and not acted upon (RFC 4271
		// section 5).
	}

	/** RFC 7606 section 7: each attribute's treatment when malformed. */
	private void malformed(AttributeKind kind, BgpError error, byte[] whole, String detail)
			throws BgpProtocolException {
		Handling handling = kind.handling(this.options.internal());
		if (handling == null) {
			throw new BgpProtocolException(error, whole, kind + " malformed: " + detail);
		}
		this.problems.add(new AttributeProblem(error, kind.code(), handling));
	}

}
