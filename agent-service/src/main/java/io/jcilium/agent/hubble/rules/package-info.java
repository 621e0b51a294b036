/**
 * Per-rule hit counters: the connections each policy allowed or denied, from the policy
 * verdict flows Hubble correlated with their rules.
 */
package io.jcilium.agent.hubble.rules;
