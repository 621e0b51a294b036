package io.jcilium.agent.hubble.rules;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.jcilium.agent.policy.PolicyEntryCounters;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.PolicySource;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.SmartLifecycle;

/**
 * Per-rule byte counters (issue 14 point 6, beyond upstream): the bytes each policy's map
 * entries admitted or dropped, per direction, from the counters the datapath keeps on
 * every policy map entry (as upstream's {@code cilium-dbg bpf policy get} shows them in
 * its {@code BYTES} column). An entry is charged with every packet of the connections it
 * admitted, both ways, and with every packet a deny entry dropped; its bytes go to every
 * policy its rules come from, as a flow names all of them. Exported as
 * {@code hubble_policy_rule_bytes_total{kind,namespace,name,direction,action}}.
 * <p>
 * The job {@value #JOB} reads the counters every interval (and the console's read does at
 * once) and adds what each entry gained since the last read; an entry whose counters went
 * down was written anew and counts from zero. Bytes an entry gained after the last read
 * before it was removed are not counted. Counts start with what the maps hold when the
 * agent starts. At most {@code maxPolicies} policies are counted; bytes of more are
 * counted in {@code hubble_policy_rule_over_limit_total}, as flows are.
 */
public final class RuleBytes implements SmartLifecycle {

	static final String JOB = "hubble-policy-bytes";

	static final String METRIC = "hubble.policy.rule.bytes";

	/** Time between two reads of the datapath's counters: a Prometheus scrape's scale. */
	public static final Duration INTERVAL = Duration.ofSeconds(10);

	/** Slots: ingress forwarded, ingress dropped, egress forwarded, egress dropped. */
	static final int SLOTS = 4;

	private static final String[] DIRECTIONS = { "ingress", "ingress", "egress", "egress" };

	private static final String[] ACTIONS = { "forwarded", "dropped", "forwarded", "dropped" };

	private final PolicyEntryCounters counters;

	private final MeterRegistry registry;

	private final int maxPolicies;

	private final Counter overLimit;

	private final Map<PolicyName, LongAdder[]> bytes = new ConcurrentHashMap<>();

	private final Job job;

	// guarded by this: each entry's bytes at the last read
	private Map<EntryKey, Long> lastRead = new HashMap<>();

	/**
	 * @param counters the datapath's entry counters
	 * @param registry where the counters go, {@code null} for none
	 * @param maxPolicies how many policies to count at most
	 * @param jobs where the periodic read runs, {@code null} to read only on demand
	 * @param interval time between reads
	 */
	public RuleBytes(PolicyEntryCounters counters, MeterRegistry registry, int maxPolicies, Jobs jobs,
			Duration interval) {
		this.counters = counters;
		this.registry = registry;
		this.maxPolicies = maxPolicies;
		this.overLimit = (registry != null) ? Counter.builder("hubble.policy.rule.over.limit")
			.description("Policy verdicts not counted per policy because the cap on counted policies was reached")
			.register(registry) : null;
		this.job = (jobs != null) ? jobs.periodic(JOB, interval,
				Backoff.exponential(Duration.ofSeconds(1), interval.plus(interval)), this::charge) : null;
	}

	/**
	 * Reads the datapath's counters and adds what each entry gained since the last read
	 * to the policies it is derived from.
	 */
	public synchronized void charge() {
		Map<EntryKey, Long> read = new HashMap<>();
		this.counters.read((endpointId, entry, derivedFrom, packets, bytes) -> {
			EntryKey key = new EntryKey(endpointId, entry);
			long last = this.lastRead.getOrDefault(key, 0L);
			long gained = (bytes >= last) ? bytes - last : bytes;
			read.put(key, bytes);
			if (gained > 0) {
				add(entry, derivedFrom, gained);
			}
		});
		this.lastRead = read;
	}

	/**
	 * A policy's bytes.
	 * @param name the policy
	 * @return per slot (ingress forwarded, ingress dropped, egress forwarded, egress
	 * dropped), zeros if it was never charged
	 */
	long[] bytes(PolicyName name) {
		LongAdder[] adders = this.bytes.get(name);
		long[] sums = new long[SLOTS];
		for (int slot = 0; adders != null && slot < SLOTS; slot++) {
			sums[slot] = adders[slot].sum();
		}
		return sums;
	}

	/** The policies charged so far. */
	Set<PolicyName> charged() {
		return this.bytes.keySet();
	}

	private void add(MapEntry entry, List<PolicySource> derivedFrom, long gained) {
		int slot = slot(entry);
		for (PolicySource source : derivedFrom) {
			if (PolicySource.RESERVED.equals(source.kind())) {
				continue;
			}
			LongAdder[] adders = adders(PolicyName.of(source));
			if (adders != null) {
				adders[slot].add(gained);
			}
			else if (this.overLimit != null) {
				this.overLimit.increment();
			}
		}
	}

	private static int slot(MapEntry entry) {
		return ((entry.direction() == Direction.EGRESS) ? 2 : 0) + (entry.deny() ? 1 : 0);
	}

	private LongAdder[] adders(PolicyName name) {
		LongAdder[] adders = this.bytes.get(name);
		if (adders != null || this.bytes.size() >= this.maxPolicies) {
			return adders;
		}
		LongAdder[] fresh = new LongAdder[SLOTS];
		for (int slot = 0; slot < SLOTS; slot++) {
			fresh[slot] = new LongAdder();
			if (this.registry != null) {
				FunctionCounter.builder(METRIC, fresh[slot], LongAdder::doubleValue)
					.description("Bytes of the packets a policy's entries admitted (every packet of the connections "
							+ "they admitted, both ways) or dropped")
					.tag("kind", name.kind())
					.tag("namespace", name.namespace())
					.tag("name", name.name())
					.tag("direction", DIRECTIONS[slot])
					.tag("action", ACTIONS[slot])
					.register(this.registry);
			}
		}
		this.bytes.put(name, fresh);
		return fresh;
	}

	@Override
	public void start() {
		if (this.job != null) {
			this.job.start();
		}
	}

	@Override
	public void stop() {
		if (this.job != null) {
			this.job.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.job != null && this.job.isRunning();
	}

	private record EntryKey(int endpointId, MapEntry entry) {
	}

}
