/**
 * The agent's policy cell: the policy engine fed from the API server and the identity
 * cache, with its deltas written into the endpoints' policy maps.
 */
package io.jcilium.agent.policy;
