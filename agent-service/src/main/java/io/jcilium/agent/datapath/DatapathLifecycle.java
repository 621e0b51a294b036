package io.jcilium.agent.datapath;

import java.time.Duration;
import java.util.List;

import io.jcilium.agent.datapath.events.DatapathEventListener;
import io.jcilium.agent.datapath.events.EventReader;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.NodeMaps;
import io.jcilium.agent.datapath.maps.MetricsMap;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the node's datapath state: opens (or creates) the pinned shared maps, reads the
 * events ring buffer into the listeners (the loop job {@value EventReader#JOB}), and
 * sweeps expired conntrack entries (the periodic job {@value #CONNTRACK_GC_JOB}; a failed
 * sweep is tried again one interval later, as a successful one is). Stopping releases
 * this process's handles only; pinned maps and attached programs keep the datapath
 * running until the next start picks them up again.
 */
public class DatapathLifecycle implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DatapathLifecycle.class);

	static final String CONNTRACK_GC_JOB = "datapath-conntrack-gc";

	private final DatapathProperties properties;

	private final List<DatapathEventListener> listeners;

	private volatile NodeMaps maps;

	private volatile EventReader reader;

	private final Job events;

	private final Job conntrackGc;

	private final Libbpf libbpf;

	public DatapathLifecycle(Libbpf libbpf, DatapathProperties properties, List<DatapathEventListener> listeners,
			Jobs jobs) {
		this.libbpf = libbpf;
		this.properties = properties;
		this.listeners = List.copyOf(listeners);
		Duration interval = Duration.ofSeconds(properties.conntrackGcIntervalSeconds());
		this.conntrackGc = jobs.periodic(CONNTRACK_GC_JOB, interval,
				new Backoff(interval, interval, Backoff.DEFAULT_JITTER), this::sweepConntrack);
		this.events = jobs.loop(EventReader.JOB, EventReader.BACKOFF, this::readEvents);
	}

	@Override
	public synchronized void start() {
		BpffsLayout layout = layout();
		this.maps = NodeMaps.openOrCreate(this.libbpf, DatapathObjects.resolve(DatapathObjects.LXC), layout);
		this.reader = new EventReader(this.maps.events(), (event) -> {
			for (DatapathEventListener listener : this.listeners) {
				listener.onEvent(event);
			}
		}, this.maps.eventsLost(), (lost) -> {
			for (DatapathEventListener listener : this.listeners) {
				listener.onLost(lost);
			}
		});
		this.events.start();
		this.conntrackGc.start(Duration.ofSeconds(this.properties.conntrackGcIntervalSeconds()));
		log.info("datapath maps ready under {}", layout.directory());
	}

	private void readEvents() throws InterruptedException {
		EventReader current = this.reader;
		if (current == null) {
			throw new IllegalStateException("no event reader: the datapath is not started");
		}
		current.readUntilStopped(this.events);
	}

	private void sweepConntrack() {
		NodeMaps current = this.maps;
		if (current == null) {
			return;
		}
		// A failure is logged and counted by the job, which tries again one interval
		// later.
		int removed = current.conntrack().removeExpired(MonotonicClock.nowSeconds());
		log.debug("conntrack sweep removed {} expired entries", removed);
	}

	@Override
	public synchronized void stop() {
		this.conntrackGc.stop();
		this.events.stop();
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
