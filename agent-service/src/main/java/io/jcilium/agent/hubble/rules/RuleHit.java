package io.jcilium.agent.hubble.rules;

/**
 * One policy's hits: the new connections it allowed or denied, per direction, and the
 * bytes its entries admitted or dropped.
 *
 * @param kind {@code CiliumNetworkPolicy}, {@code CiliumClusterwideNetworkPolicy} or
 * {@code NetworkPolicy}
 * @param namespace its namespace, empty for cluster-wide policies
 * @param name its name
 * @param inForce whether it is in force now (a removed policy keeps its counts)
 * @param ingressForwarded ingress connections it allowed
 * @param ingressDropped ingress connections its deny rules dropped
 * @param egressForwarded egress connections it allowed
 * @param egressDropped egress connections its deny rules dropped
 * @param ingressForwardedBytes bytes of the ingress connections it allowed, both ways
 * @param ingressDroppedBytes bytes of the ingress packets its deny rules dropped
 * @param egressForwardedBytes bytes of the egress connections it allowed, both ways
 * @param egressDroppedBytes bytes of the egress packets its deny rules dropped
 */
public record RuleHit(String kind, String namespace, String name, boolean inForce, long ingressForwarded,
		long ingressDropped, long egressForwarded, long egressDropped, long ingressForwardedBytes,
		long ingressDroppedBytes, long egressForwardedBytes, long egressDroppedBytes) {

}
