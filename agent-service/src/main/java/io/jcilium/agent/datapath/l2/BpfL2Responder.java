package io.jcilium.agent.datapath.l2;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.l2announce.L2Responder;
import io.jcilium.agent.l2announce.ResponderEntry;
import io.jcilium.agent.l2announce.XdpMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel side of L2 announcements: {@code bpf_l2.o}'s XDP responder on every device
 * that has an entry, and its two maps (pinned as {@code l2_responder_v4} and
 * {@code l2_responder_v6} beside the node's other maps, so a restarted agent finds and
 * converges them). A sync attaches the program before it writes entries, removes entries
 * no longer wanted, and sends a gratuitous frame for each new one; a device left with no
 * entry loses the program.
 * <p>
 * The program is attached through BPF links that only this process holds
 * ({@link XdpLink}): when the agent dies, even by SIGKILL, the kernel detaches it, so a
 * dead node stops answering for addresses whose Lease moves on. A program an earlier
 * agent attached over netlink (which would outlive it) is removed before linking.
 * <p>
 * Devices are read through {@link NetworkInterface} inside the namespace, which lists
 * devices with an IPv4 address only: a device that announces without one is not offered.
 */
public final class BpfL2Responder implements L2Responder {

	/** Object file name on the classpath under {@code bpf/}. */
	public static final String OBJECT = "bpf_l2.o";

	/** The XDP program in it, and its name in the kernel. */
	static final String PROGRAM = "l2_responder";

	private static final Logger log = LoggerFactory.getLogger(BpfL2Responder.class);

	private final Libbpf libbpf;

	private final Supplier<Path> pinDirectory;

	private final Path namespace;

	private final XdpMode mode;

	private final GratuitousAnnouncer announcer;

	private final Map<Integer, XdpLink> links = new HashMap<>();

	private BpfObject object;

	/**
	 * @param libbpf the agent's libbpf
	 * @param pinDirectory the node's bpffs directory
	 * @param namespace the devices' network namespace, null for the agent's own
	 * @param mode how to attach the XDP program
	 */
	public BpfL2Responder(Libbpf libbpf, Supplier<Path> pinDirectory, Path namespace, XdpMode mode) {
		this.libbpf = libbpf;
		this.pinDirectory = pinDirectory;
		this.namespace = namespace;
		this.mode = mode;
		this.announcer = new GratuitousAnnouncer(namespace);
	}

	@Override
	public List<String> devices() {
		return NetworkNamespace.call(this.namespace, () -> {
			List<String> devices = new ArrayList<>();
			for (NetworkInterface device : NetworkInterface.networkInterfaces().toList()) {
				if (device.isUp() && !device.isLoopback() && !device.isVirtual() && !agentOwned(device.getName())) {
					devices.add(device.getName());
				}
			}
			devices.sort(null);
			return devices;
		});
	}

	/** The agent's own devices: pods' host-side veths and the tunnel. */
	static boolean agentOwned(String device) {
		return device.startsWith("lxc") || device.startsWith("cilium_");
	}

	@Override
	public synchronized void sync(Set<ResponderEntry> entries) {
		if (entries.isEmpty() && this.object == null) {
			return;
		}
		BpfObject loaded = load();
		Map<String, Device> devices = new HashMap<>();
		Map<String, Map<ByteBuffer, Wanted>> wanted = Map.of(ResponderMaps.V4, new HashMap<>(), ResponderMaps.V6,
				new HashMap<>());
		for (ResponderEntry entry : entries) {
			Device device = devices.computeIfAbsent(entry.device(), this::device);
			if (device == null) {
				log.warn("L2 announcement of {} skipped: no device {}", entry.address().getHostAddress(),
						entry.device());
				continue;
			}
			wanted.get(ResponderMaps.map(entry.address()))
				.put(ByteBuffer.wrap(ResponderMaps.key(entry.address(), device.ifindex())), new Wanted(entry, device));
		}
		Set<Integer> used = new HashSet<>();
		devices.values().stream().filter((device) -> device != null).forEach((device) -> used.add(device.ifindex()));
		for (int ifindex : used) {
			attach(loaded, ifindex);
		}
		for (Map.Entry<String, Map<ByteBuffer, Wanted>> map : wanted.entrySet()) {
			converge(loaded.map(map.getKey()), map.getValue());
		}
		for (int ifindex : new ArrayList<>(this.links.keySet())) {
			if (!used.contains(ifindex)) {
				detach(ifindex);
			}
		}
	}

	private void converge(BpfMap map, Map<ByteBuffer, Wanted> wanted) {
		for (byte[] key : map.keys()) {
			if (!wanted.containsKey(ByteBuffer.wrap(key))) {
				map.delete(key);
			}
		}
		for (Map.Entry<ByteBuffer, Wanted> entry : wanted.entrySet()) {
			byte[] key = entry.getKey().array();
			Wanted target = entry.getValue();
			byte[] current = map.lookup(key);
			if (current != null && Arrays.equals(ResponderMaps.mac(current), target.device().mac())) {
				continue;
			}
			map.update(key, ResponderMaps.entry(target.device().mac()), BpfMap.ANY);
			log.info("Answering ARP/NDP for {} on {}", target.entry().address().getHostAddress(),
					target.entry().device());
			try {
				this.announcer.announce(target.device().ifindex(), target.device().mac(), target.entry().address());
			}
			catch (RuntimeException ex) {
				// the entry answers anyway: neighbours that ask get the new MAC
				log.warn("Gratuitous announcement of {} failed: {}", target.entry(),
						(ex.getCause() != null) ? ex.getCause().toString() : ex.getMessage());
			}
		}
	}

	private BpfObject load() {
		if (this.object == null) {
			Path pins = this.pinDirectory.get();
			BpfObject opened = BpfObject.open(this.libbpf, DatapathObjects.resolve(OBJECT));
			try {
				opened.pinMap(ResponderMaps.V4, pins.resolve(ResponderMaps.V4));
				opened.pinMap(ResponderMaps.V6, pins.resolve(ResponderMaps.V6));
				opened.load();
			}
			catch (RuntimeException ex) {
				opened.close();
				throw ex;
			}
			this.object = opened;
		}
		return this.object;
	}

	private Device device(String name) {
		return NetworkNamespace.call(this.namespace, () -> {
			NetworkInterface device;
			try {
				device = NetworkInterface.getByName(name);
			}
			catch (SocketException ex) {
				return null;
			}
			byte[] mac = (device != null) ? device.getHardwareAddress() : null;
			return (mac != null && mac.length == 6) ? new Device(device.getIndex(), mac) : null;
		});
	}

	private void attach(BpfObject loaded, int ifindex) {
		if (this.links.containsKey(ifindex)) {
			return;
		}
		int fd = loaded.program(PROGRAM).fd();
		XdpLink link = NetworkNamespace.call(this.namespace,
				() -> XdpLink.attach(this.libbpf, fd, PROGRAM, ifindex, this.mode));
		this.links.put(ifindex, link);
	}

	private void detach(int ifindex) {
		XdpLink link = this.links.remove(ifindex);
		if (link != null) {
			link.close();
		}
	}

	/**
	 * Stops answering: detaches the program from every device and releases the object
	 * (the pinned maps stay for the next run).
	 */
	@Override
	public synchronized void close() {
		new ArrayList<>(this.links.keySet()).forEach(this::detach);
		if (this.object != null) {
			this.object.close();
			this.object = null;
		}
	}

	private record Device(int ifindex, byte[] mac) {

	}

	private record Wanted(ResponderEntry entry, Device device) {

	}

}
