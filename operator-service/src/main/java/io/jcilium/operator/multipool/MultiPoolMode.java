package io.jcilium.operator.multipool;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether the multi-pool controller runs: as {@code jcilium.operator.multi-pool.enabled}
 * says when it is set, otherwise when the IPAM mode
 * ({@code jcilium.operator.node.ipam-mode}) is multi-pool. Upstream's operator runs it in
 * multi-pool mode only; in cluster-pool mode its informers and IPAM channel had nothing
 * to do.
 */
class MultiPoolMode extends SpringBootCondition {

	static final String ENABLED = "jcilium.operator.multi-pool.enabled";

	static final String IPAM_MODE = "jcilium.operator.node.ipam-mode";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		String enabled = environment.getProperty(ENABLED);
		if (enabled != null && !enabled.isBlank()) {
			boolean on = Boolean.parseBoolean(enabled.strip());
			return new ConditionOutcome(on, ENABLED + " is " + enabled.strip());
		}
		String mode = environment.getProperty(IPAM_MODE, "cluster-pool").strip();
		return new ConditionOutcome("multi-pool".equals(mode), ENABLED + " unset and " + IPAM_MODE + " is " + mode);
	}

}
