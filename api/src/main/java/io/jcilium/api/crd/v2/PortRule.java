package io.jcilium.api.crd.v2;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/**
 * Ports (and optionally L7 rules) a peer rule is limited to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PortRule {

	public List<PortProtocol> ports;

	public List<String> serverNames;

	@PreserveUnknownFields
	public Object terminatingTLS;

	@PreserveUnknownFields
	public Object originatingTLS;

	@PreserveUnknownFields
	public Object listener;

	public L7Rules rules;

	/**
	 * A port (number or name, as text like upstream), an optional range end, a protocol.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class PortProtocol {

		public String port;

		public Integer endPort;

		/** TCP, UDP, SCTP, ICMP, ICMPV6, VRRP, IGMP or ANY. */
		public String protocol;

	}

	/** Layer-7 rules of a port rule; one kind per port. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class L7Rules {

		public List<HttpRule> http;

		public List<KafkaRule> kafka;

		public List<EgressRule.FqdnSelector> dns;

		public String l7proto;

		public List<Map<String, String>> l7;

	}

	/** An allowed Kafka request. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class KafkaRule {

		public String role;

		public String apiKey;

		public String apiVersion;

		public String clientID;

		public String topic;

	}

	/** A header that must (or, with {@code mismatch}, may not) match. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class HeaderMatch {

		/** LOG, ADD, DELETE or REPLACE. */
		public String mismatch;

		public String name;

		public SecretRef secret;

		public String value;

	}

	/** A Kubernetes secret by namespace and name. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class SecretRef {

		public String namespace;

		public String name;

	}

	/** An allowed HTTP request; empty fields match anything. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class HttpRule {

		public String path;

		public String method;

		public String host;

		public List<String> headers;

		public List<HeaderMatch> headerMatches;

	}

}
