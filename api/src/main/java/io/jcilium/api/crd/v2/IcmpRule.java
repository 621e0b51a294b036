package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * ICMP types a peer rule is limited to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IcmpRule {

	public List<IcmpField> fields;

	/** One ICMP type (number or name such as {@code EchoRequest}) of a family. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class IcmpField {

		public IntOrString type;

		/** IPv4 (default) or IPv6. */
		public String family;

	}

}
