package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * Settings shared by the peers that name it in {@code peerConfigRef}: transport, timers,
 * graceful restart, eBGP multihop and the families with the advertisements each carries.
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2)
@ShortNames("cbgppeer")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumBGPPeerConfig extends CustomResource<CiliumBGPPeerConfig.Spec, CiliumBGPPeerConfig.Status> {

	private static final long serialVersionUID = 1L;

	/** Upstream's condition: the auth secret it names is missing. */
	public static final String CONDITION_MISSING_AUTH_SECRET = "cilium.io/MissingAuthSecret";

	/** The peers' settings; every field has upstream's default when left out. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Spec {

		public Transport transport;

		public Timers timers;

		/** A secret with the TCP MD5 password. */
		public String authSecretRef;

		public GracefulRestart gracefulRestart;

		/** TTL for eBGP peers (default 1). */
		public Integer ebgpMultihop;

		/**
		 * Families to negotiate; none means IPv4 and IPv6 unicast without advertisements.
		 */
		public List<Family> families;

	}

	/** The peer's TCP port (default 179). */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Transport {

		public Integer peerPort;

	}

	/** RFC 4271 timers: connect retry 120 s, hold 90 s, keepalive 30 s by default. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Timers {

		public Integer connectRetryTimeSeconds;

		public Integer holdTimeSeconds;

		public Integer keepAliveTimeSeconds;

	}

	/** RFC 4724 graceful restart; restart time 120 s by default. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class GracefulRestart {

		@Required
		public Boolean enabled;

		public Integer restartTimeSeconds;

	}

	/** An AFI/SAFI and the CiliumBGPAdvertisements (by label) sent in it. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Family {

		/** {@code ipv4}, {@code ipv6}, ... */
		@Required
		public String afi;

		/** {@code unicast}, {@code multicast}, ... */
		@Required
		public String safi;

		/** None means nothing is advertised in this family. */
		public LabelSelector advertisements;

	}

	/** Conditions of the config, set by the operator. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Status {

		public List<Condition> conditions;

	}

}
