/**
 * Policy traces: verdicts with the rules that decided them, online and offline.
 */
package io.jcilium.common.policy.trace;
