package io.jcilium.bgp.wire;

import java.util.List;

/**
 * MP_UNREACH_NLRI (RFC 4760 section 4); with no prefixes it is the End-of-RIB marker of
 * its family (RFC 4724 section 2).
 *
 * @param family the family of the withdrawn prefixes
 * @param withdrawn the withdrawn prefixes
 */
public record MpUnreach(AddressFamily family, List<Prefix> withdrawn) {

	public MpUnreach {
		withdrawn = List.copyOf(withdrawn);
	}

}
