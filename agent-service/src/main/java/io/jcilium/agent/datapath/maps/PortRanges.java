package io.jcilium.agent.datapath.maps;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a port range into the fewest aligned power-of-two blocks, each one LPM entry
 * (port, prefix): the way upstream encodes port ranges in its policy map. 80-80 is one
 * entry of prefix 16, 0-65535 one entry of prefix 0, 1-65535 sixteen entries.
 */
public final class PortRanges {

	/** Bits of a port. */
	public static final int PORT_BITS = 16;

	private PortRanges() {
	}

	/**
	 * The blocks covering exactly {@code [first, last]}.
	 * @param first first port, 0-65535
	 * @param last last port, first-65535
	 * @return blocks in ascending order
	 */
	public static List<Block> split(int first, int last) {
		if (first < 0 || last > 0xffff || first > last) {
			throw new IllegalArgumentException(
					"bad port range " + first + "-" + last + " (need 0 <= first <= last <= 65535)");
		}
		List<Block> blocks = new ArrayList<>();
		long start = first;
		while (start <= last) {
			int hostBits = 0;
			// grow the block while start stays aligned to it and it stays inside the
			// range
			while (hostBits < PORT_BITS && (start & ((1L << (hostBits + 1)) - 1)) == 0
					&& start + (1L << (hostBits + 1)) - 1 <= last) {
				hostBits++;
			}
			blocks.add(new Block((int) start, PORT_BITS - hostBits));
			start += 1L << hostBits;
		}
		return List.copyOf(blocks);
	}

	/**
	 * One aligned block.
	 *
	 * @param port the first port of the block
	 * @param prefixBits how many leading bits of the port must match (16 = exactly this
	 * port)
	 */
	public record Block(int port, int prefixBits) {

		/**
		 * The last port of the block.
		 * @return the last port
		 */
		public int lastPort() {
			return this.port + (1 << (PORT_BITS - this.prefixBits)) - 1;
		}

	}

}
