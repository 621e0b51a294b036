package io.jcilium.bgp.wire;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.netty.buffer.ByteBuf;

/**
 * Reads and writes OPEN (RFC 4271 section 4.2) and its capabilities (RFC 5492), with the
 * checks of section 6.2 that need no configuration; the peer's AS and hold time are
 * checked against the neighbour's settings by the state machine.
 */
final class OpenCodec {

	private static final int CAPABILITIES_PARAMETER = 2;

	/**
	 * RFC 9072: a Non-Ext OP Type of 255 marks the extended optional parameters format.
	 */
	private static final int EXTENDED_PARAMETERS = 255;

	private OpenCodec() {
	}

	static OpenMessage read(ByteBuf body) throws BgpProtocolException {
		int version = body.readUnsignedByte();
		if (version != OpenMessage.VERSION) {
			// Section 6.2: the data is the largest locally supported version, two octets.
			throw new BgpProtocolException(BgpError.UNSUPPORTED_VERSION_NUMBER, new byte[] { 0, OpenMessage.VERSION },
					"version " + version + " is not 4");
		}
		int myAs = body.readUnsignedShort();
		int holdTime = body.readUnsignedShort();
		if (holdTime == 1 || holdTime == 2) {
			throw new BgpProtocolException(BgpError.UNACCEPTABLE_HOLD_TIME,
					"hold time " + holdTime + " s is below 3 s");
		}
		long identifier = body.readUnsignedInt();
		if (identifier == 0) {
			// RFC 6286 section 2.2: a BGP identifier is a non-zero 32-bit value.
			throw new BgpProtocolException(BgpError.BAD_BGP_IDENTIFIER, "BGP identifier 0");
		}
		int parametersLength = body.readUnsignedByte();
		boolean extended = false;
		if (parametersLength == EXTENDED_PARAMETERS && body.readableBytes() >= 3
				&& body.getUnsignedByte(body.readerIndex()) == EXTENDED_PARAMETERS) {
			body.skipBytes(1);
			parametersLength = body.readUnsignedShort();
			extended = true;
		}
		if (parametersLength != body.readableBytes()) {
			throw new BgpProtocolException(BgpError.OPEN_UNSPECIFIC, "optional parameters length " + parametersLength
					+ " does not match the " + body.readableBytes() + " bytes left");
		}
		CapabilitiesReader capabilities = new CapabilitiesReader();
		while (body.isReadable()) {
			int headerBytes = extended ? 3 : 2;
			if (body.readableBytes() < headerBytes) {
				throw new BgpProtocolException(BgpError.OPEN_UNSPECIFIC, "truncated optional parameter");
			}
			int type = body.readUnsignedByte();
			int length = extended ? body.readUnsignedShort() : body.readUnsignedByte();
			if (length > body.readableBytes()) {
				throw new BgpProtocolException(BgpError.OPEN_UNSPECIFIC, "optional parameter runs past the message");
			}
			if (type != CAPABILITIES_PARAMETER) {
				throw new BgpProtocolException(BgpError.UNSUPPORTED_OPTIONAL_PARAMETER,
						"optional parameter type " + type);
			}
			capabilities.read(body.readSlice(length));
		}
		return new OpenMessage(myAs, holdTime, identifier, capabilities.build());
	}

	static void write(OpenMessage open, ByteBuf out) {
		out.writeByte(OpenMessage.VERSION);
		out.writeShort(open.myAsField());
		out.writeShort(open.holdTimeSeconds());
		out.writeInt((int) open.bgpIdentifier());
		int parametersLengthIndex = out.writerIndex();
		out.writeByte(0);
		out.writeByte(CAPABILITIES_PARAMETER);
		int capabilitiesLengthIndex = out.writerIndex();
		out.writeByte(0);
		Capabilities c = open.capabilities();
		for (AddressFamily family : c.multiprotocol()) {
			out.writeByte(Capabilities.MULTIPROTOCOL).writeByte(4);
			out.writeShort(family.afi()).writeByte(0).writeByte(family.safi());
		}
		if (c.routeRefresh()) {
			out.writeByte(Capabilities.ROUTE_REFRESH).writeByte(0);
		}
		if (c.fourOctetAs()) {
			out.writeByte(Capabilities.FOUR_OCTET_AS).writeByte(4).writeInt((int) c.asn());
		}
		GracefulRestart gr = c.gracefulRestart();
		if (gr != null) {
			out.writeByte(Capabilities.GRACEFUL_RESTART).writeByte(2 + 4 * gr.forwardingPreserved().size());
			out.writeShort((gr.restarting() ? 0x8000 : 0) | (gr.restartTimeSeconds() & 0x0FFF));
			for (Map.Entry<AddressFamily, Boolean> family : gr.forwardingPreserved().entrySet()) {
				out.writeShort(family.getKey().afi()).writeByte(family.getKey().safi());
				out.writeByte(family.getValue() ? 0x80 : 0);
			}
		}
		int capabilitiesLength = out.writerIndex() - capabilitiesLengthIndex - 1;
		out.setByte(capabilitiesLengthIndex, capabilitiesLength);
		out.setByte(parametersLengthIndex, capabilitiesLength + 2);
	}

	/** Collects the capabilities of every Capabilities parameter of one OPEN. */
	private static final class CapabilitiesReader {

		private final Set<AddressFamily> multiprotocol = EnumSet.noneOf(AddressFamily.class);

		private boolean routeRefresh;

		private boolean fourOctetAs;

		private long asn;

		private GracefulRestart gracefulRestart;

		void read(ByteBuf in) throws BgpProtocolException {
			while (in.isReadable()) {
				if (in.readableBytes() < 2) {
					throw new BgpProtocolException(BgpError.OPEN_UNSPECIFIC, "truncated capability");
				}
				int code = in.readUnsignedByte();
				int length = in.readUnsignedByte();
				if (length > in.readableBytes()) {
					throw new BgpProtocolException(BgpError.OPEN_UNSPECIFIC,
							"capability " + code + " runs past its parameter");
				}
				ByteBuf value = in.readSlice(length);
				switch (code) {
					case Capabilities.MULTIPROTOCOL -> multiprotocol(value);
					case Capabilities.ROUTE_REFRESH -> this.routeRefresh = true;
					case Capabilities.FOUR_OCTET_AS -> fourOctetAs(value);
					case Capabilities.GRACEFUL_RESTART -> gracefulRestart(value);
					default -> {
						// RFC 5492 section 3: an unknown capability is ignored.
					}
				}
			}
		}

		private void multiprotocol(ByteBuf value) throws BgpProtocolException {
			if (value.readableBytes() != 4) {
				throw new BgpProtocolException(BgpError.OPEN_UNSPECIFIC,
						"multiprotocol capability of " + value.readableBytes() + " bytes, not 4");
			}
			AddressFamily family = AddressFamily.fromCodes(value.readUnsignedShort(), value.getUnsignedByte(3));
			if (family != null) {
				this.multiprotocol.add(family);
			}
		}

		private void fourOctetAs(ByteBuf value) throws BgpProtocolException {
			if (value.readableBytes() != 4) {
				throw new BgpProtocolException(BgpError.OPEN_UNSPECIFIC,
						"four-octet AS capability of " + value.readableBytes() + " bytes, not 4");
			}
			this.fourOctetAs = true;
			this.asn = value.readUnsignedInt();
		}

		private void gracefulRestart(ByteBuf value) throws BgpProtocolException {
			if (value.readableBytes() < 2 || (value.readableBytes() - 2) % 4 != 0) {
				throw new BgpProtocolException(BgpError.OPEN_UNSPECIFIC,
						"graceful restart capability of " + value.readableBytes() + " bytes");
			}
			int flagsAndTime = value.readUnsignedShort();
			Map<AddressFamily, Boolean> families = new EnumMap<>(AddressFamily.class);
			while (value.isReadable()) {
				AddressFamily family = AddressFamily.fromCodes(value.readUnsignedShort(), value.readUnsignedByte());
				boolean forwarding = (value.readUnsignedByte() & 0x80) != 0;
				if (family != null) {
					families.put(family, forwarding);
				}
			}
			this.gracefulRestart = new GracefulRestart((flagsAndTime & 0x8000) != 0, flagsAndTime & 0x0FFF, families);
		}

		Capabilities build() {
			return new Capabilities(this.multiprotocol, this.routeRefresh, this.fourOctetAs, this.asn,
					this.gracefulRestart);
		}

	}

}
