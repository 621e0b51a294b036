package io.jcilium.agent.datapath.lb;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.BpfProgram;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.tc.TcAttachPoint;
import io.jcilium.agent.datapath.tc.TcHooks;

import io.jcilium.agent.service.lb.Maglev;

/**
 * {@code bpf_host.o} loaded: the tc load balancer of the node's external devices
 * (NodePort, LoadBalancer, ExternalIP traffic from outside). It shares the LB maps with
 * socket LB and the node's {@code endpoints} map (which backends are local) through their
 * pins; its own NAT tables and Maglev tables are pinned beside them. Closing detaches
 * from every device it was attached to; pins stay.
 */
public final class HostLb implements AutoCloseable {

	/** Object file name on the classpath under {@code bpf/}. */
	public static final String OBJECT = "bpf_host.o";

	/**
	 * Maps of bpf_host.c's own (lib/nodeport.h, and lib/nat.h for masquerading), pinned
	 * under the agent's prefix.
	 */
	static final List<String> OWN_MAPS = List.of("lb_nat_fwd", "lb_nat_rev", "lb_maglev", "lb_host_addrs",
			"snat_v4_fwd", "snat_v4_rev", "ipmasq_v4", "masq_cluster_v4", "masq_config");

	/** Maps the shared headers declare that no program of bpf_host.c uses. */
	private static final String[] UNUSED_MAPS = { "endpoint_config", "policy", "ct_created", "ct_released", "metrics",
			"events", "events_lost", "policy_calls", "lb_sock_revnat" };

	private static final String MAGLEV_VARIABLE = "LB_MAGLEV_M";

	private final BpfObject object;

	private final TcHooks hooks;

	private final List<Integer> attached = new ArrayList<>();

	private HostLb(BpfObject object, Libbpf libbpf) {
		this.object = object;
		this.hooks = new TcHooks(libbpf);
	}

	/**
	 * Opens and loads the object.
	 * @param libbpf the library
	 * @param file the compiled bpf_host.o
	 * @param pins where the agent pins its maps (LB maps, the node's endpoints map, the
	 * NAT tables), or null for private maps (tests)
	 * @param sizes LB map sizes (must match the pinned maps)
	 * @param selection random or Maglev, with the table size
	 * @param natEntries entries of each NAT table
	 * @return the loaded object, attached nowhere
	 */
	public static HostLb load(Libbpf libbpf, Path file, Path pins, SocketLb.MapSizes sizes, BackendSelection selection,
			int natEntries) {
		BpfObject object = BpfObject.open(libbpf, file);
		try {
			object.skipMaps(UNUSED_MAPS);
			if (pins != null) {
				for (String name : LbMapSet.NAMES) {
					if (!List.of(UNUSED_MAPS).contains(name)) {
						object.pinMap(name, pins.resolve(name));
					}
				}
				OWN_MAPS.forEach((name) -> object.pinMap(name, pins.resolve(name)));
				object.pinMap("endpoints", pins.resolve("endpoints"));
				// masquerading leaves the cluster's own destinations (pods, nodes) and
				// the
				// replies of connections opened to pods (their conntrack) alone
				object.pinMap("ipcache", pins.resolve("ipcache"));
				object.pinMap("ct", pins.resolve("ct"));
			}
			object.setMaxEntries("lb_services", sizes.serviceEntries());
			object.setMaxEntries("lb_backends", sizes.backends());
			object.setMaxEntries("lb_reverse_nat", sizes.reverseNat());
			object.setMaxEntries("lb_maglev", sizes.reverseNat());
			object.setMaxEntries("lb_nat_fwd", natEntries);
			object.setMaxEntries("lb_nat_rev", natEntries);
			object.setValueSize("lb_maglev", Integer.BYTES * Math.max(1, selection.maglevTableSize()));
			setMaglevTableSize(object, selection.maglevTableSize());
			object.load();
			return new HostLb(object, libbpf);
		}
		catch (RuntimeException ex) {
			object.close();
			throw ex;
		}
	}

	private static void setMaglevTableSize(BpfObject object, int size) {
		int offset = object.btf()
			.variableOffset(".rodata", MAGLEV_VARIABLE)
			.orElseThrow(() -> new IllegalStateException(
					object.file() + " has no " + MAGLEV_VARIABLE + " in .rodata (an older object?)"));
		byte[] rodata = object.initialValue(".rodata");
		ByteBuffer.wrap(rodata).order(ByteOrder.nativeOrder()).putInt(offset, size);
		object.setInitialValue(".rodata", rodata);
	}

	/**
	 * The LB maps as this object sees them (the pinned ones, or its private set).
	 * @return the maps, valid while this is open
	 */
	public LbMapSet maps() {
		return LbMapSet.of(this.object);
	}

	/**
	 * The Maglev tables.
	 * @return {@code lb_maglev}
	 */
	public BpfMap maglevMap() {
		return this.object.map("lb_maglev");
	}

	/**
	 * A map of the object by name (tests write the endpoints map through it).
	 * @param name e.g. "endpoints"
	 * @return the map
	 */
	public BpfMap map(String name) {
		return this.object.map(name);
	}

	/**
	 * A program of the object ({@code from_netdev}, {@code to_netdev}).
	 * @param name the C function name
	 * @return the program
	 */
	BpfProgram program(String name) {
		return this.object.program(name);
	}

	/**
	 * Attaches both programs to a node device (in the calling thread's network namespace)
	 * and records the node's address on it, the source of SNATed connections.
	 * @param ifindex the device
	 * @param nodeAddress this node's IPv4 address on it
	 */
	public synchronized void attach(int ifindex, Inet4Address nodeAddress) {
		BpfMap addresses = this.object.map("lb_host_addrs");
		byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(ifindex).array();
		addresses.update(key, nodeAddress.getAddress(), BpfMap.ANY);
		try {
			this.hooks.attach(ifindex, TcAttachPoint.INGRESS, this.object.program("from_netdev"));
			this.hooks.attach(ifindex, TcAttachPoint.EGRESS, this.object.program("to_netdev"));
		}
		catch (RuntimeException ex) {
			this.hooks.detach(ifindex, TcAttachPoint.INGRESS);
			addresses.delete(key);
			throw ex;
		}
		this.attached.add(ifindex);
	}

	/**
	 * Detaches from every device this object was attached to (in the calling thread's
	 * network namespace).
	 */
	public synchronized void detach() {
		for (int ifindex : this.attached) {
			this.hooks.detach(ifindex, TcAttachPoint.INGRESS);
			this.hooks.detach(ifindex, TcAttachPoint.EGRESS);
		}
		this.attached.clear();
	}

	@Override
	public synchronized void close() {
		try {
			detach();
		}
		finally {
			this.object.close();
		}
	}

	/**
	 * How a new connection from outside gets its backend.
	 *
	 * @param maglevTableSize Maglev's table size M (a prime), or 0 for a random backend
	 */
	public record BackendSelection(int maglevTableSize) {

		/** Random selection. */
		public static final BackendSelection RANDOM = new BackendSelection(0);

		public BackendSelection {
			if (maglevTableSize != 0 && !Maglev.isValidTableSize(maglevTableSize)) {
				throw new IllegalArgumentException("Maglev table size must be a prime between " + Maglev.MIN_TABLE_SIZE
						+ " and " + Maglev.MAX_TABLE_SIZE + ", got " + maglevTableSize);
			}
		}

	}

}
