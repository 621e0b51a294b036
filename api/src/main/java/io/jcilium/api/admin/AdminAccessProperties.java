package io.jcilium.api.admin;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a service's HTTP port answers ({@code jcilium.admin.*}), for the services that
 * run on the node's network (agent, bgp). The values follow cilium-health's
 * {@code --admin unix|any}: upstream serves its agent API (configuration changes, BPF
 * dumps) on a unix socket and its health on 127.0.0.1 only, and puts only the Prometheus
 * metrics on the network.
 *
 * @param access {@code loopback} (the default of those services): from any other address
 * only {@code GET} of the {@code remote-paths} answers, everything else is 403;
 * {@code any}: every endpoint answers everyone, as before (the endpoints carry no
 * authentication)
 * @param remotePaths the paths other addresses may {@code GET}; the metrics only
 */
@ConfigurationProperties("jcilium.admin")
public record AdminAccessProperties(@DefaultValue("loopback") Access access,
		@DefaultValue("/actuator/prometheus") List<String> remotePaths) {

	/** The two settings. */
	public enum Access {

		/** Health and admin endpoints from loopback only; the metrics from everywhere. */
		LOOPBACK,

		/** Everything from everywhere. */
		ANY

	}

}
