/**
 * The agent's identity cell: pod identities from identity-service through the identity
 * client, and the cluster's identities fed into the policy.
 */
package io.jcilium.agent.identity;
