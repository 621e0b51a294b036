package io.jcilium.common.net;

import java.math.BigInteger;

/**
 * Reads a CIDR's text: a literal address, an optional prefix length, host bits cleared or
 * refused. Behind {@link Cidr#parse} and {@link Cidr#parseStrict}.
 */
final class CidrParser {

	private CidrParser() {
	}

	static Cidr parse(String text, boolean strict) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("CIDR is empty");
		}
		int slash = text.indexOf('/');
		if (strict && slash < 0) {
			throw new IllegalArgumentException(
					"CIDR '" + text + "' has no prefix length (expected e.g. 10.0.0.0/8 or fd00::/104)");
		}
		String addressText = (slash >= 0) ? text.substring(0, slash) : text;
		IpAddress.Parsed address;
		try {
			address = IpAddress.parse(addressText);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("invalid CIDR '" + text + "': " + ex.getMessage(), ex);
		}
		int length = address.bits();
		if (slash >= 0) {
			String lengthText = text.substring(slash + 1);
			if (!lengthText.matches("\\d{1,3}") || Integer.parseInt(lengthText) > address.bits()) {
				throw new IllegalArgumentException("invalid CIDR '" + text + "': prefix length '" + lengthText
						+ "' must be a number from 0 to " + address.bits());
			}
			length = Integer.parseInt(lengthText);
		}
		BigInteger network = address.value().and(Cidr.mask(address.bits(), length));
		if (strict && !network.equals(address.value())) {
			throw new IllegalArgumentException("invalid CIDR '" + text + "': host bits are set, did you mean '"
					+ IpAddress.format(network, address.bits()) + "/" + length + "'?");
		}
		return new Cidr(network, address.bits(), length);
	}

}
