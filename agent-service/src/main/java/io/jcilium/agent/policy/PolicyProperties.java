package io.jcilium.agent.policy;

import io.jcilium.common.policy.engine.EnforcementMode;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the policy cell under {@code jcilium.agent.policy}.
 *
 * @param enforcementMode upstream's {@code enable-policy} (the chart's
 * {@code policyEnforcementMode}): {@code default} enforces a direction once a rule
 * selects the endpoint in it, {@code always} enforces both directions on every endpoint,
 * {@code never} enforces nothing
 */
@ConfigurationProperties("jcilium.agent.policy")
public record PolicyProperties(@DefaultValue("default") EnforcementMode enforcementMode) {

}
