package io.jcilium.common.net;

import java.util.ArrayList;
import java.util.List;

/**
 * A destination port or port range of a policy: {@code port} alone,
 * {@code port..endPort}, or port 0 for every port.
 *
 * @param port the first port, 0 for any port
 * @param endPort the last port, or 0 when the range is the single {@code port}
 */
public record PortRange(int port, int endPort) {

	/** Every port. */
	public static final PortRange ANY = new PortRange(0, 0);

	public PortRange {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("port " + port + " is out of range: it must be from 0 to 65535");
		}
		if (endPort != 0) {
			if (endPort < 1 || endPort > 65535) {
				throw new IllegalArgumentException(
						"endPort " + endPort + " is out of range: it must be from 1 to 65535");
			}
			if (port == 0) {
				throw new IllegalArgumentException("endPort " + endPort + " needs a port to start the range");
			}
			if (endPort < port) {
				throw new IllegalArgumentException(
						"endPort " + endPort + " is smaller than port " + port + ": the range would be empty");
			}
		}
	}

	/**
	 * A single port.
	 * @param port the port, 0 for any
	 * @return the range
	 */
	public static PortRange of(int port) {
		return new PortRange(port, 0);
	}

	public boolean isAny() {
		return this.port == 0;
	}

	/**
	 * The last port of the range.
	 * @return endPort, or port for a single port, or 65535 for any port
	 */
	public int last() {
		if (this.port == 0) {
			return 65535;
		}
		return (this.endPort == 0) ? this.port : this.endPort;
	}

	/**
	 * Whether the port lies in the range.
	 * @param candidate a port
	 * @return whether it is covered
	 */
	public boolean contains(int candidate) {
		return this.port == 0 || (candidate >= this.port && candidate <= last());
	}

	/**
	 * The range as the fewest {@code (port, prefix length)} masks over the 16-bit port,
	 * the way upstream's policy map keys express ranges: port 0 with length 0 is any
	 * port, a single port has length 16.
	 * @return the masks in port order
	 */
	public List<PortMask> masks() {
		List<PortMask> masks = new ArrayList<>();
		if (this.port == 0) {
			masks.add(new PortMask(0, 0));
			return masks;
		}
		int start = this.port;
		int end = last();
		while (start <= end) {
			// The largest aligned block starting at 'start' that does not pass 'end'.
			int size = Integer.lowestOneBit(start);
			while (start + size - 1 > end) {
				size >>= 1;
			}
			masks.add(new PortMask(start, 16 - Integer.numberOfTrailingZeros(size)));
			start += size;
		}
		return masks;
	}

	@Override
	public String toString() {
		if (this.port == 0) {
			return "0";
		}
		return (this.endPort == 0 || this.endPort == this.port) ? Integer.toString(this.port)
				: this.port + "-" + this.endPort;
	}

	/**
	 * One policy map port key: a port and how many of its leading bits must match.
	 *
	 * @param port the port with its masked bits zero
	 * @param prefixLength matching leading bits, 0 to 16
	 */
	public record PortMask(int port, int prefixLength) {

		/**
		 * Whether the port matches this mask.
		 * @param candidate a port
		 * @return whether its leading bits equal this mask's
		 */
		public boolean matches(int candidate) {
			int mask = (this.prefixLength == 0) ? 0 : (0xffff << (16 - this.prefixLength)) & 0xffff;
			return (candidate & mask) == this.port;
		}

		@Override
		public String toString() {
			return this.port + "/" + this.prefixLength;
		}

	}

}
