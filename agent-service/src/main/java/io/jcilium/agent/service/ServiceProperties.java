package io.jcilium.agent.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.jcilium.agent.service.lb.Maglev;

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
 * @param nodePortDevices the node's external devices (upstream's {@code devices}): the tc
 * LB ({@code bpf_host.o}) on them serves NodePort, LoadBalancer and ExternalIP frontends
 * to traffic from outside; empty: no tc LB
 * @param algorithm how traffic from outside picks a backend (upstream's
 * {@code bpf-lb-algorithm})
 * @param maglevTableSize Maglev's table size M, a prime (upstream's
 * {@code bpf-lb-maglev-table-size})
 * @param natMapSize connections from outside tracked at once (each NAT table)
 */
@ConfigurationProperties("jcilium.service")
public record ServiceProperties(@DefaultValue("true") boolean socketLb, Path cgroupPath,
		@DefaultValue("65536") int serviceMapSize, @DefaultValue("65536") int backendMapSize,
		@DefaultValue("65535") int revNatMapSize, @DefaultValue("5m") Duration resync,
		@DefaultValue List<String> nodePortDevices, @DefaultValue("random") Algorithm algorithm,
		@DefaultValue("16381") int maglevTableSize, @DefaultValue("262144") int natMapSize) {

	public ServiceProperties {
		if (resync.isNegative() || resync.isZero()) {
			throw new IllegalArgumentException("jcilium.service.resync must be positive, got " + resync);
		}
		if (algorithm == Algorithm.MAGLEV && !Maglev.isValidTableSize(maglevTableSize)) {
			throw new IllegalArgumentException(
					"jcilium.service.maglev-table-size must be a prime between " + Maglev.MIN_TABLE_SIZE + " and "
							+ Maglev.MAX_TABLE_SIZE + " (e.g. 251, 1021, 16381), got " + maglevTableSize);
		}
		if (natMapSize < 1) {
			throw new IllegalArgumentException("jcilium.service.nat-map-size must be positive, got " + natMapSize);
		}
		nodePortDevices = List.copyOf(nodePortDevices);
	}

	/**
	 * Maglev's M when Maglev is on.
	 * @return the table size, or 0 for random selection
	 */
	public int effectiveMaglevTableSize() {
		return (this.algorithm == Algorithm.MAGLEV) ? this.maglevTableSize : 0;
	}

	/** Backend selection for traffic from outside. */
	public enum Algorithm {

		/** A random backend per new connection. */
		RANDOM,

		/** Maglev consistent hashing of the connection's tuple. */
		MAGLEV

	}

}
