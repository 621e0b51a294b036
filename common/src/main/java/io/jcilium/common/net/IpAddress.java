package io.jcilium.common.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parsing and printing of literal IP addresses (as unsigned integers inside this
 * package), with no DNS lookup ever (unlike {@link InetAddress#getByName} on a
 * non-literal).
 */
public final class IpAddress {

	private static final Pattern IPV4 = Pattern
		.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

	private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

	private IpAddress() {
	}

	/**
	 * Parse a literal address.
	 * @param text dotted IPv4 or IPv6 text
	 * @return the value and its width (32 or 128 bits)
	 */
	static Parsed parse(String text) {
		if (text == null || text.isEmpty()) {
			throw new IllegalArgumentException("IP address is empty");
		}
		if (text.indexOf(':') < 0) {
			if (!IPV4.matcher(text).matches()) {
				throw new IllegalArgumentException("'" + text + "' is not a valid IPv4 address");
			}
			return new Parsed(toValue(literal(text)), 32);
		}
		if (!IPV6_CHARS.matcher(text).matches()) {
			throw new IllegalArgumentException("'" + text + "' is not a valid IPv6 address");
		}
		byte[] bytes = literal(text);
		if (bytes.length == 4) {
			// Java folds ::ffff:a.b.c.d to IPv4; keep it IPv6, as written.
			byte[] mapped = new byte[16];
			mapped[10] = (byte) 0xff;
			mapped[11] = (byte) 0xff;
			System.arraycopy(bytes, 0, mapped, 12, 4);
			bytes = mapped;
		}
		return new Parsed(toValue(bytes), 128);
	}

	static String format(BigInteger value, int bits) {
		return format(bytes(value, bits));
	}

	/**
	 * The text form of an address: dotted quad, or RFC 5952 for IPv6.
	 * @param address the address
	 * @return e.g. {@code 10.0.0.1} or {@code fd00::1}
	 */
	public static String format(InetAddress address) {
		return format(address.getAddress());
	}

	/**
	 * Parses a literal address, never a host name (no DNS lookup here).
	 * @param text dotted IPv4 or IPv6 text
	 * @return the address
	 * @throws IllegalArgumentException naming the text if it is no literal address
	 */
	public static InetAddress parseLiteral(String text) {
		Parsed parsed = parse(text);
		return toInetAddress(parsed.value(), parsed.bits());
	}

	static InetAddress toInetAddress(BigInteger value, int bits) {
		try {
			return InetAddress.getByAddress(bytes(value, bits));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static byte[] bytes(BigInteger value, int bits) {
		byte[] raw = value.toByteArray();
		byte[] bytes = new byte[bits / 8];
		int copy = Math.min(raw.length, bytes.length);
		System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
		return bytes;
	}

	private static String format(byte[] bytes) {
		if (bytes.length == 4) {
			return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
		}
		return formatIpv6(bytes);
	}

	// RFC 5952: lower case, leading zeros dropped, the longest run (>1) of zero groups as
	// "::".
	private static String formatIpv6(byte[] bytes) {
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
		}
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8;) {
			int j = i;
			while (j < 8 && groups[j] == 0) {
				j++;
			}
			if (j - i > bestLength) {
				bestStart = i;
				bestLength = j - i;
			}
			i = (j > i) ? j : i + 1;
		}
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				out.append("::");
				i += bestLength - 1;
				continue;
			}
			if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
				out.append(':');
			}
			out.append(Integer.toHexString(groups[i]));
		}
		return out.toString();
	}

	private static byte[] literal(String text) {
		try {
			// Only reached with a literal that passed the character checks: no lookup
			// happens.
			return InetAddress.getByName(text).getAddress();
		}
		catch (UnknownHostException | SecurityException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a valid IP address", ex);
		}
	}

	private static BigInteger toValue(byte[] bytes) {
		return new BigInteger(1, bytes);
	}

	record Parsed(BigInteger value, int bits) {
	}

}
