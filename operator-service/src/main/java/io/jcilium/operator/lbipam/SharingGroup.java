package io.jcilium.operator.lbipam;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The services on one allocated address (one service, or several with the same sharing
 * key and compatible ports).
 */
final class SharingGroup {

	final BigInteger value;

	final String address;

	final RangeState origin;

	final List<LbService> members = new ArrayList<>();

	SharingGroup(BigInteger value, RangeState origin) {
		this.value = value;
		this.origin = origin;
		this.address = AddressRange.format(value, origin.range.bits());
	}

	static String key(BigInteger value, int bits) {
		return bits + "/" + value;
	}

	/**
	 * Why the service cannot join this address, or {@code null} if it can.
	 * @param service the candidate
	 * @return the reason, or {@code null}
	 */
	String incompatibilityWith(LbService service) {
		for (LbService member : this.members) {
			String reason = service.incompatibilityWith(member);
			if (reason != null) {
				return reason;
			}
		}
		return null;
	}

	boolean isIpv4() {
		return this.origin.range.isIpv4();
	}

}
