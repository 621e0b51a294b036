package io.jcilium.agent.service;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the service load balancer under {@code jcilium.service}.
 *
 * @param socketLb attach {@code bpf_sock.o} to the cgroup v2 hierarchy so pods and the
 * host connect straight to backends (needs the datapath on)
 * @param cgroupPath the cgroup v2 directory to attach to; unset: the first
 * {@code cgroup2} mount in {@code /proc/mounts} (e.g. {@code /sys/fs/cgroup/unified} on
 * hybrid hosts)
 * @param serviceMapSize entries of the service map: one per frontend plus one per backend
 * of each frontend (upstream's {@code bpf-lb-map-max} default)
 * @param backendMapSize distinct backends
 * @param revNatMapSize frontends (at most 65535)
 * @param resync how often every service is reconciled without an event
 */
@ConfigurationProperties("jcilium.service")
public record ServiceProperties(@DefaultValue("true") boolean socketLb, Path cgroupPath,
		@DefaultValue("65536") int serviceMapSize, @DefaultValue("65536") int backendMapSize,
		@DefaultValue("65535") int revNatMapSize, @DefaultValue("5m") Duration resync) {

	public ServiceProperties {
		if (resync.isNegative() || resync.isZero()) {
			throw new IllegalArgumentException("jcilium.service.resync must be positive, got " + resync);
		}
	}

}
