/**
 * The agent's policy cell: the policy watcher (NetworkPolicies and Cilium policies from
 * the API server, with their {@code Valid} conditions), the policy engine fed from it and
 * from the identity cache, and the engine's deltas handed as entries to the endpoints'
 * policy maps ({@link io.jcilium.agent.policy.EndpointPolicyMap}) on one writer thread.
 * It knows nothing of the kernel's key format.
 */
package io.jcilium.agent.policy;
