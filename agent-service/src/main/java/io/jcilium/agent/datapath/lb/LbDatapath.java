package io.jcilium.agent.datapath.lb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbMaps;

import org.springframework.context.SmartLifecycle;

/**
 * The kernel side of the service load balancer, as the service feature's {@link LbMaps}:
 * starting loads {@code bpf_sock.o} with its LB maps pinned in the agent's bpffs
 * directory, keeping what they hold (after a restart the previous agent's services go on
 * being translated; the service reconciler takes the entries over and, once the services
 * are synced from the API server, removes the stale ones), and attaches the socket
 * programs to the cgroup v2 root when socket LB is on, through links pinned in
 * {@value #LINK_DIRECTORY} of the same directory; with node devices configured it also
 * loads {@code bpf_host.o} on the same maps and attaches it to each device (the tc LB of
 * traffic from outside).
 * <p>
 * As upstream keeps its programs attached and maps pinned across an agent restart,
 * stopping leaves the socket programs attached through their pinned links: between one
 * agent's stop and the next one's start, pods' connects to services are still translated
 * from the pinned maps. The next start takes the links over and swaps in its programs
 * atomically ({@code BPF_LINK_UPDATE}), so one set stays attached. Only
 * {@link #uninstall()}, removing the link pins (the DaemonSet's preStop hook does when
 * the release's {@code cni-uninstall} is true), or a start with socket LB off detaches
 * them. A write before the start fails, and the reconciler retries it.
 */
public final class LbDatapath implements SmartLifecycle, LbMaps {

	private static final Logger log = LoggerFactory.getLogger(LbDatapath.class);

	/** Where the socket programs' cgroup links are pinned, under the bpffs directory. */
	public static final String LINK_DIRECTORY = "socketlb-links";

	private final Libbpf libbpf;

	private final Supplier<Path> pinDirectory;

	private final SocketLb.MapSizes sizes;

	private final boolean socketLb;

	private final Path cgroupPath;

	private final HostSettings host;

	private volatile SocketLb loaded;

	private volatile HostLb hostLb;

	private volatile BpfLbMaps maps;

	private volatile Path socketLbCgroup;

	/**
	 * @param libbpf the agent's libbpf
	 * @param pinDirectory the agent's bpffs directory
	 * @param sizes LB map sizes
	 * @param socketLb whether to attach the socket programs
	 * @param cgroupPath where to attach, or null to find the cgroup v2 mount
	 * @param host the tc LB's devices and settings
	 */
	public LbDatapath(Libbpf libbpf, Supplier<Path> pinDirectory, SocketLb.MapSizes sizes, boolean socketLb,
			Path cgroupPath, HostSettings host) {
		this.host = host;
		this.libbpf = libbpf;
		this.pinDirectory = pinDirectory;
		this.sizes = sizes;
		this.socketLb = socketLb;
		this.cgroupPath = cgroupPath;
	}

	@Override
	public synchronized void start() {
		Path pins = this.pinDirectory.get();
		try {
			Files.createDirectories(pins);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create the bpffs directory " + pins + " (is bpffs mounted?)", ex);
		}
		SocketLb object = SocketLb.load(this.libbpf, DatapathObjects.resolve(SocketLb.OBJECT), pins, this.sizes);
		HostLb tcLb = null;
		try {
			if (!this.host.devices().isEmpty()) {
				tcLb = HostLb.load(this.libbpf, DatapathObjects.resolve(HostLb.OBJECT), pins, this.sizes,
						this.host.selection(), this.host.natEntries());
			}
			BpfLbMaps opened = new BpfLbMaps(object.maps(), (tcLb != null) ? tcLb.maglevMap() : null);
			if (tcLb != null) {
				for (String device : this.host.devices()) {
					NodeDevice found = NodeDevice.find(device);
					tcLb.attach(found.ifindex(), found.address());
					log.info("tc load balancing of traffic from outside attached to {} ({})", device,
							found.address().getHostAddress());
				}
			}
			Path cgroup = null;
			Path links = pins.resolve(LINK_DIRECTORY);
			if (this.socketLb) {
				cgroup = CgroupV2.requireHierarchy(CgroupV2.resolve(this.cgroupPath));
				int tookOver = object.attach(cgroup, links);
				if (tookOver > 0) {
					log.info("socket load balancing attached to cgroup {}: took over the {} program(s) the previous "
							+ "run left attached, each replaced in one step", cgroup, tookOver);
				}
				else {
					log.info("socket load balancing attached to cgroup {}", cgroup);
				}
			}
			else {
				int detached = SocketLb.detachPinned(this.libbpf, links);
				if (detached > 0) {
					log.info("socket load balancing is off: detached the {} socket program(s) the previous run left "
							+ "attached", detached);
				}
			}
			this.maps = opened;
			this.socketLbCgroup = cgroup;
		}
		catch (RuntimeException ex) {
			if (tcLb != null) {
				tcLb.close();
			}
			object.close();
			throw ex;
		}
		this.hostLb = tcLb;
		this.loaded = object;
	}

	/**
	 * Stops, keeping the socket programs attached through their pinned links (a restart
	 * goes on translating connects); {@link #uninstall()} detaches them.
	 */
	@Override
	public synchronized void stop() {
		SocketLb current = this.loaded;
		HostLb tcLb = this.hostLb;
		this.loaded = null;
		this.hostLb = null;
		this.maps = null;
		this.socketLbCgroup = null;
		if (tcLb != null) {
			tcLb.close();
		}
		if (current != null) {
			current.close();
		}
	}

	/**
	 * Stops and detaches the socket programs for good, this run's or left by an earlier
	 * one, removing their link pins: the node's connects are no longer translated.
	 * @return how many links were detached
	 */
	public synchronized int uninstall() {
		stop();
		return SocketLb.detachPinned(this.libbpf, this.pinDirectory.get().resolve(LINK_DIRECTORY));
	}

	/**
	 * Whether socket load balancing is configured on.
	 * @return the setting
	 */
	public boolean socketLbEnabled() {
		return this.socketLb;
	}

	/**
	 * Where the socket programs are attached.
	 * @return the cgroup, or null while they are not (socket LB off, or not started)
	 */
	public Path socketLbCgroup() {
		return this.socketLbCgroup;
	}

	@Override
	public boolean isRunning() {
		return this.loaded != null;
	}

	/**
	 * Before the service reconciler and the informers.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 2100;
	}

	@Override
	public Capacity capacity() {
		return new Capacity(this.sizes.serviceEntries(), this.sizes.backends(), this.sizes.reverseNat());
	}

	@Override
	public Contents contents() {
		return maps().contents();
	}

	@Override
	public void putBackend(int id, L4Address backend) {
		maps().putBackend(id, backend);
	}

	@Override
	public void deleteBackend(int id) {
		maps().deleteBackend(id);
	}

	@Override
	public void putReverseNat(int index, L4Address frontend) {
		maps().putReverseNat(index, frontend);
	}

	@Override
	public void deleteReverseNat(int index) {
		maps().deleteReverseNat(index);
	}

	@Override
	public void putMaster(FrontendKey key, Master master) {
		maps().putMaster(key, master);
	}

	@Override
	public void putSlot(FrontendKey key, int slot, int backendId) {
		maps().putSlot(key, slot, backendId);
	}

	@Override
	public void deleteSlot(FrontendKey key, int slot) {
		maps().deleteSlot(key, slot);
	}

	@Override
	public void putAffinityMatch(int backendId, int reverseNat) {
		maps().putAffinityMatch(backendId, reverseNat);
	}

	@Override
	public void deleteAffinityMatch(int backendId, int reverseNat) {
		maps().deleteAffinityMatch(backendId, reverseNat);
	}

	@Override
	public void putMaglevTable(int reverseNat, int[] backendIds) {
		maps().putMaglevTable(reverseNat, backendIds);
	}

	@Override
	public void deleteMaglevTable(int reverseNat) {
		maps().deleteMaglevTable(reverseNat);
	}

	private BpfLbMaps maps() {
		BpfLbMaps current = this.maps;
		if (current == null) {
			throw new IllegalStateException("the LB maps are not loaded (the datapath has not started)");
		}
		return current;
	}

	/**
	 * The tc LB's settings.
	 *
	 * @param devices node devices to attach to; empty: no tc LB
	 * @param selection random or Maglev
	 * @param natEntries entries of each NAT table
	 */
	public record HostSettings(List<String> devices, HostLb.BackendSelection selection, int natEntries) {

		/** No tc LB. */
		public static final HostSettings NONE = new HostSettings(List.of(), HostLb.BackendSelection.RANDOM, 1);

		public HostSettings {
			devices = List.copyOf(devices);
		}

	}

}
