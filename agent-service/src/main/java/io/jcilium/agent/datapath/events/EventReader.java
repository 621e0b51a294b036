package io.jcilium.agent.datapath.events;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.LibBpfBindings;
import io.jcilium.agent.datapath.libbpf.LibBpfException;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the datapath's events ring buffer on one named thread and hands decoded events to
 * a consumer. The consumer runs on the reader thread and must be quick (hand off to a
 * queue for anything slow); a consumer that throws loses that event, not the reader.
 */
public final class EventReader implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EventReader.class);

	private static final int POLL_TIMEOUT_MS = 100;

	private static final int EINTR = 4;

	private final Libbpf libbpf;

	private final LibBpfBindings lib;

	private final Pointer ring;

	private final Thread thread;

	private final Consumer<DatapathEvent> consumer;

	// Held in a field: jnr keeps only a weak reference to callbacks, a collected one
	// crashes the poll.
	private final LibBpfBindings.RingBufferSample sample;

	private final AtomicLong eventsRead = new AtomicLong();

	private final AtomicLong eventsFailed = new AtomicLong();

	private volatile boolean running;

	private volatile String lastError;

	/**
	 * Sets up reading from a ring buffer map, through the library the map was opened
	 * with; call {@link #start()} to begin.
	 * @param events the ring buffer map
	 * @param consumer receives each event on the reader thread
	 */
	public EventReader(BpfMap events, Consumer<DatapathEvent> consumer) {
		this.libbpf = events.libbpf();
		this.lib = this.libbpf.bindings();
		this.consumer = consumer;
		this.sample = this::onSample;
		Pointer created = this.lib.ring_buffer__new(events.fd(), this.sample, null, null);
		if (created == null || created.address() == 0) {
			throw new LibBpfException(
					"ring_buffer__new on map " + events.name() + " failed (is it a ring buffer map?)");
		}
		this.ring = created;
		this.thread = new Thread(this::run, "datapath-events");
		this.thread.setDaemon(true);
	}

	public void start() {
		this.running = true;
		this.thread.start();
	}

	public long eventsRead() {
		return this.eventsRead.get();
	}

	public long eventsFailed() {
		return this.eventsFailed.get();
	}

	public boolean isRunning() {
		return this.running && this.thread.isAlive();
	}

	/**
	 * The last poll error, for health reporting.
	 * @return the message or null
	 */
	public String lastError() {
		return this.lastError;
	}

	private void run() {
		while (this.running) {
			int result = this.lib.ring_buffer__poll(this.ring, POLL_TIMEOUT_MS);
			if (result < 0 && result != -EINTR) {
				this.lastError = "ring_buffer__poll failed: " + this.libbpf.describe(-result);
				log.warn("{}; retrying", this.lastError);
				sleepQuietly();
			}
		}
	}

	private int onSample(Pointer ctx, Pointer data, long size) {
		try {
			byte[] bytes = new byte[(int) size];
			data.get(0, bytes, 0, bytes.length);
			this.consumer.accept(DatapathEvent.decode(bytes));
			this.eventsRead.incrementAndGet();
		}
		catch (RuntimeException ex) {
			this.eventsFailed.incrementAndGet();
			log.debug("datapath event dropped by its consumer", ex);
		}
		// Non-zero would abort the poll; one bad event must not stall the rest.
		return 0;
	}

	private void sleepQuietly() {
		try {
			Thread.sleep(POLL_TIMEOUT_MS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	@Override
	public void close() {
		boolean started = this.thread.isAlive();
		this.running = false;
		if (started) {
			try {
				this.thread.join(10L * POLL_TIMEOUT_MS + 1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (!this.thread.isAlive()) {
			this.lib.ring_buffer__free(this.ring);
		}
	}

}
