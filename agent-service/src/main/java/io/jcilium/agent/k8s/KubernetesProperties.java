package io.jcilium.agent.k8s;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Kubernetes cell under {@code jcilium.agent.k8s}.
 *
 * @param enabled whether the agent watches an API server at all; off, pods get their
 * metadata from nowhere (identity {@code init}) and policies only from other sources
 * @param resync how often informers replay their caches to the handlers, so a missed or
 * failed reaction is retried (level-triggered); zero disables resync
 * @param writeRetryMin first delay before a failed write (CiliumEndpoint, policy status)
 * is retried
 * @param writeRetryMax longest delay between retries of a failed write
 * @param podFieldSelector whether the pod informer asks the API server for this node's
 * pods only ({@code spec.nodeName}); off for API servers that cannot filter on that field
 * (fabric8's mock server), where all pods are listed and filtered by the agent
 * @param podCidrWait how long the first pod address waits for this node's CiliumNode to
 * carry its pod CIDR (0: only if already known); past it the pod's address fails with the
 * reason, never falling back to {@code jcilium.agent.ipam.pod-cidr}
 */
@ConfigurationProperties("jcilium.agent.k8s")
public record KubernetesProperties(@DefaultValue("true") boolean enabled, @DefaultValue("5m") Duration resync,
		@DefaultValue("200ms") Duration writeRetryMin, @DefaultValue("30s") Duration writeRetryMax,
		@DefaultValue("true") boolean podFieldSelector, @DefaultValue("0s") Duration podCidrWait) {

}
