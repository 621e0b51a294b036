package io.jcilium.agent.identity.cardinality;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.jcilium.agent.identity.cardinality.IdentityCardinality.Finding;
import io.jcilium.common.label.Labels;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the cluster's identities for labels that make them multiply
 * ({@link IdentityCardinality}) and warns of each: in the log and to the warning sink
 * (Kubernetes Events) once when it first shows, and as the gauge
 * {@value #METRIC}{@code {namespace, label}} while it lasts (at most {@value #MAX_ROWS}
 * rows, the largest first, so the metric's own cardinality stays bounded).
 */
public final class CardinalityWatch {

	static final String METRIC = "jcilium_identity_label_values";

	static final int MAX_ROWS = 50;

	private static final Logger logger = LoggerFactory.getLogger(CardinalityWatch.class);

	private final Supplier<Map<Long, Labels>> identities;

	private final int threshold;

	private final Consumer<Finding> warnings;

	private final MultiGauge gauge;

	private final Set<String> warned = new HashSet<>();

	private volatile List<Finding> findings = List.of();

	/**
	 * @param identities the cluster's identities as this agent knows them now
	 * @param threshold distinct values from which a label is reported
	 * @param warnings told of each finding once, when it first shows
	 * @param meters where the gauge lives
	 */
	public CardinalityWatch(Supplier<Map<Long, Labels>> identities, int threshold, Consumer<Finding> warnings,
			MeterRegistry meters) {
		if (threshold < 2) {
			throw new IllegalArgumentException(
					"jcilium.agent.identity.cardinality.threshold must be at least 2, not " + threshold);
		}
		this.identities = identities;
		this.threshold = threshold;
		this.warnings = warnings;
		this.gauge = MultiGauge.builder(METRIC)
			.description("Distinct values of a label that makes identities multiply in a namespace")
			.register(meters);
	}

	/** One check of the identities as they are now. */
	public void check() {
		List<Finding> now = IdentityCardinality.find(this.identities.get(), this.threshold);
		this.findings = now;
		this.gauge.register(now.stream()
			.limit(MAX_ROWS)
			.map((finding) -> MultiGauge.Row.of(Tags.of("namespace", finding.namespace(), "label", finding.label()),
					finding.values()))
			.toList(), true);
		Set<String> current = new HashSet<>();
		for (Finding finding : now) {
			String key = finding.namespace() + "/" + finding.label();
			current.add(key);
			if (this.warned.add(key)) {
				logger.warn(
						"label {} makes identities multiply in namespace {}: {} distinct values among {} identities "
								+ "(e.g. {}); leave it out of identities with jcilium.agent.labels={} (and the same in "
								+ "identity-service's jcilium.identity.allocation.label-patterns)",
						finding.label(), finding.namespace(), finding.values(), finding.identities(),
						finding.examples(), finding.exclusion());
				this.warnings.accept(finding);
			}
		}
		// a finding that went away warns again should it come back
		this.warned.retainAll(current);
	}

	/** The findings of the last check, most values first. */
	public List<Finding> findings() {
		return this.findings;
	}

	public int threshold() {
		return this.threshold;
	}

}
