/**
 * The policy engine: selector cache, per-identity policy map state and incremental
 * deltas.
 */
package io.jcilium.common.policy.engine;
