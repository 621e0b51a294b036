package io.jcilium.agent.datapath.nat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.common.net.Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Switches masquerading on or off in {@code bpf_host.o}'s pinned maps once the tc
 * programs are loaded (they own the maps, see {@code HostLb}), with the non-masquerade
 * CIDRs written first. Stopping changes nothing: the translations of open connections
 * stay in their pinned tables, so they survive an agent restart as the programs do.
 */
public final class MasqueradeDatapath implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(MasqueradeDatapath.class);

	private final Libbpf libbpf;

	private final Supplier<Path> pinDirectory;

	private final List<String> devices;

	private final boolean enabled;

	private final List<Cidr> nonMasquerade;

	private volatile boolean running;

	/**
	 * @param libbpf the agent's libbpf
	 * @param pinDirectory where bpf_host.o's maps are pinned
	 * @param devices the devices bpf_host.o is attached to
	 * @param properties the settings
	 * @throws IllegalArgumentException when masquerading is on without a device, or a
	 * non-masquerade CIDR is invalid
	 */
	MasqueradeDatapath(Libbpf libbpf, Supplier<Path> pinDirectory, List<String> devices,
			MasqueradeProperties properties) {
		if (properties.enabled() && devices.isEmpty()) {
			throw new IllegalArgumentException("jcilium.agent.masquerade.enabled needs the devices pods' traffic leaves"
					+ " through in jcilium.service.node-port-devices (masquerading runs in bpf_host.o on them)");
		}
		this.libbpf = libbpf;
		this.pinDirectory = pinDirectory;
		this.devices = List.copyOf(devices);
		this.enabled = properties.enabled();
		this.nonMasquerade = NonMasqueradeCidrs.effective(properties.nonMasqueradeCidrs(), properties.masqLinkLocal());
	}

	@Override
	public synchronized void start() {
		Path pins = this.pinDirectory.get();
		Path config = pins.resolve(MasqueradeMaps.CONFIG_MAP);
		if (!this.enabled && !Files.exists(config)) {
			this.running = true;
			return;
		}
		try (BpfMap configMap = BpfMap.openPinned(this.libbpf, config);
				BpfMap trie = BpfMap.openPinned(this.libbpf, pins.resolve(MasqueradeMaps.NON_MASQUERADE_MAP))) {
			new MasqueradeMaps(configMap, trie).apply(this.enabled, this.nonMasquerade);
		}
		if (this.enabled) {
			log.info("masquerading pods' traffic leaving the cluster on {}; not towards {}", this.devices,
					this.nonMasquerade);
		}
		else {
			log.info("masquerading off");
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * After the tc programs are loaded ({@code LbDatapath}), which create the maps.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 2050;
	}

}
