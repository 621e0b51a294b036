package io.jcilium.agent.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.jcilium.agent.endpoint.PolicyReadiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inputs an endpoint's policy must not be computed without (the cluster's policies,
 * identities, this node's pods), and whether they have delivered their initial state: the
 * endpoint reconciler asks before every regeneration.
 */
public final class PolicyInputSync implements PolicyReadiness {

	/** How long regenerations wait for declared inputs at most, as upstream's default. */
	public static final Duration DEFAULT_INPUT_WAIT_LIMIT = Duration.ofMinutes(3);

	private static final Logger logger = LoggerFactory.getLogger(PolicyInputSync.class);

	private final Map<String, BooleanSupplier> inputs = new ConcurrentHashMap<>();

	private final long waitLimitNanos;

	private final long createdNanos = System.nanoTime();

	private volatile boolean synced;

	/**
	 * Inputs to wait for.
	 * @param waitLimit how long after start regenerations wait for declared inputs before
	 * going ahead without them, as upstream's {@code k8s-sync-timeout}
	 */
	public PolicyInputSync(Duration waitLimit) {
		this.waitLimitNanos = waitLimit.toNanos();
	}

	/**
	 * Declares an input.
	 * @param name what the input is, as the reason names it
	 * @param inputSynced whether it has delivered its initial state
	 */
	public void expect(String name, BooleanSupplier inputSynced) {
		this.inputs.put(name, inputSynced);
	}

	@Override
	public Optional<String> awaited() {
		if (this.synced) {
			return Optional.empty();
		}
		List<String> waiting = this.inputs.entrySet()
			.stream()
			.filter((input) -> !input.getValue().getAsBoolean())
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
		if (waiting.isEmpty()) {
			this.synced = true;
			logger.info("policy inputs synced ({}); endpoints get their computed policy", this.inputs.keySet());
			return Optional.empty();
		}
		if (System.nanoTime() - this.createdNanos > this.waitLimitNanos) {
			this.synced = true;
			logger.warn("policy inputs still not synced after {} s ({}); computing policy without them",
					this.waitLimitNanos / 1_000_000_000L, waiting);
			return Optional.empty();
		}
		return Optional.of("waiting for " + String.join(" and ", waiting)
				+ " to sync before computing policy; the datapath keeps its current programs and policy");
	}

}
