package io.jcilium.agent.datapath.overlay;

import java.util.List;
import java.util.function.Supplier;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.tc.TcAttachPoint;
import io.jcilium.agent.datapath.tc.TcHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The overlay's kernel side: starting creates (or adopts) the VXLAN device and attaches
 * {@code bpf_overlay.o}'s {@code to_overlay} (egress) and {@code from_overlay} (ingress)
 * to it, on the node's shared maps through their pins (the ipcache for tunnel endpoints
 * and known nodes, the endpoints and their settings for source identities, the policy
 * call map to hand a received packet to its endpoint's ingress policy). Attaching
 * replaces what an earlier run attached, with no moment unfiltered. Stopping only
 * releases this process's handles: the programs stay attached and the tunnels keep
 * working while the agent restarts, as the endpoints' programs do.
 */
public final class OverlayDatapath implements SmartLifecycle {

	/** Object file name on the classpath under {@code bpf/}. */
	public static final String OBJECT = "bpf_overlay.o";

	/** Maps the shared headers declare that no program of bpf_overlay.c uses. */
	static final List<String> UNUSED_MAPS = List.of("policy", "ct", "ct_created", "ct_released", "frag_ports");

	private static final Logger log = LoggerFactory.getLogger(OverlayDatapath.class);

	private final Libbpf libbpf;

	private final Supplier<BpffsLayout> layout;

	private final VxlanDevice device;

	private volatile BpfObject object;

	private volatile int ifindex;

	/**
	 * @param libbpf the agent's libbpf
	 * @param layout where the node's shared maps are pinned
	 * @param device the VXLAN device
	 */
	OverlayDatapath(Libbpf libbpf, Supplier<BpffsLayout> layout, VxlanDevice device) {
		this.libbpf = libbpf;
		this.layout = layout;
		this.device = device;
	}

	@Override
	public synchronized void start() {
		int index = this.device.ensure();
		BpffsLayout pins = this.layout.get();
		pins.create();
		BpfObject loaded = BpfObject.open(this.libbpf, DatapathObjects.resolve(OBJECT));
		try {
			loaded.skipMaps(UNUSED_MAPS.toArray(String[]::new));
			for (String map : BpffsLayout.SHARED_MAPS) {
				if (!UNUSED_MAPS.contains(map)) {
					loaded.pinMap(map, pins.sharedMap(map));
				}
			}
			loaded.load();
			TcHooks hooks = new TcHooks(this.libbpf);
			hooks.attach(index, TcAttachPoint.INGRESS, loaded.program("from_overlay"));
			hooks.attach(index, TcAttachPoint.EGRESS, loaded.program("to_overlay"));
		}
		catch (RuntimeException ex) {
			loaded.close();
			throw ex;
		}
		this.object = loaded;
		this.ifindex = index;
		log.info("VXLAN overlay attached to ifindex {}", index);
	}

	@Override
	public synchronized void stop() {
		BpfObject current = this.object;
		this.object = null;
		if (current != null) {
			current.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.object != null;
	}

	/**
	 * Before the informers, so the tunnels are ready when the first routes are planned.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 2100;
	}

	/**
	 * The device's ifindex once started.
	 * @return the ifindex, 0 before the start
	 */
	int ifindex() {
		return this.ifindex;
	}

}
