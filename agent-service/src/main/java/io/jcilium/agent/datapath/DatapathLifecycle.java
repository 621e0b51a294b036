package io.jcilium.agent.datapath;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.datapath.events.DatapathEventListener;
import io.jcilium.agent.datapath.events.EventReader;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.NodeMaps;
import io.jcilium.agent.datapath.maps.MetricsMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the node's datapath state: opens (or creates) the pinned shared maps, reads the
 * events ring buffer into the listeners, and sweeps expired conntrack entries. Stopping
 * releases this process's handles only; pinned maps and attached programs keep the
 * datapath running until the next start picks them up again.
 */
public class DatapathLifecycle implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DatapathLifecycle.class);

	private final Libbpf libbpf;

	private final DatapathProperties properties;

	private final List<DatapathEventListener> listeners;

	private volatile NodeMaps maps;

	private EventReader reader;

	private ScheduledExecutorService conntrackGc;

	public DatapathLifecycle(Libbpf libbpf, DatapathProperties properties, List<DatapathEventListener> listeners) {
		this.libbpf = libbpf;
		this.properties = properties;
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public synchronized void start() {
		BpffsLayout layout = layout();
		this.maps = NodeMaps.openOrCreate(this.libbpf, DatapathObjects.resolve(DatapathObjects.LXC), layout);
		this.reader = new EventReader(this.maps.events(), (event) -> {
			for (DatapathEventListener listener : this.listeners) {
				listener.onEvent(event);
			}
		});
		this.reader.start();
		this.conntrackGc = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "datapath-conntrack-gc");
			thread.setDaemon(true);
			return thread;
		});
		int interval = this.properties.conntrackGcIntervalSeconds();
		this.conntrackGc.scheduleWithFixedDelay(this::sweepConntrack, interval, interval, TimeUnit.SECONDS);
		log.info("datapath maps ready under {}", layout.directory());
	}

	private void sweepConntrack() {
		try {
			int removed = this.maps.conntrack().removeExpired(MonotonicClock.nowSeconds());
			log.debug("conntrack sweep removed {} expired entries", removed);
		}
		catch (RuntimeException ex) {
			log.warn("conntrack sweep failed, retrying next interval", ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.conntrackGc != null) {
			this.conntrackGc.shutdownNow();
			this.conntrackGc = null;
		}
		if (this.reader != null) {
			this.reader.close();
			this.reader = null;
		}
		if (this.maps != null) {
			this.maps.close();
			this.maps = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.maps != null;
	}

	/**
	 * The node's metrics map while running.
	 * @return the map, or null when stopped
	 */
	MetricsMap metrics() {
		NodeMaps current = this.maps;
		return (current != null) ? current.metrics() : null;
	}

	/**
	 * The shared maps while running (for the endpoint and policy cells).
	 * @return the maps, or null when stopped
	 */
	public NodeMaps maps() {
		return this.maps;
	}

	/**
	 * Events read so far (health and tests).
	 * @return the count
	 */
	public long eventsRead() {
		EventReader current = this.reader;
		return (current != null) ? current.eventsRead() : 0;
	}

	public BpffsLayout layout() {
		return new BpffsLayout(this.properties.bpffsRoot(), this.properties.prefix());
	}

}
