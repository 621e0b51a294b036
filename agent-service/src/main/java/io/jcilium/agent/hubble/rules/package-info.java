/**
 * Per-rule hit counters: the connections each policy allowed or denied, from the policy
 * verdict flows Hubble correlated with their rules, and the bytes its policy map entries
 * admitted or dropped, from the datapath's counters on each entry.
 */
package io.jcilium.agent.hubble.rules;
