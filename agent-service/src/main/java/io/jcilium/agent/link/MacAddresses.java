package io.jcilium.agent.link;

import java.security.SecureRandom;

/**
 * Random MAC addresses for veth ends: locally administered, unicast (bit 1 of the first
 * octet set, bit 0 clear, IEEE 802 section 8.2), so they never clash with vendor MACs.
 */
public final class MacAddresses {

	private static final SecureRandom random = new SecureRandom();

	private MacAddresses() {
	}

	public static String random() {
		byte[] bytes = new byte[6];
		random.nextBytes(bytes);
		bytes[0] = (byte) ((bytes[0] & 0xfe) | 0x02);
		StringBuilder text = new StringBuilder(17);
		for (int i = 0; i < bytes.length; i++) {
			if (i > 0) {
				text.append(':');
			}
			text.append(String.format("%02x", bytes[i] & 0xff));
		}
		return text.toString();
	}

}
