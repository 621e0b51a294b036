/**
 * Files the agent keeps across its restarts (endpoint state, pod IP allocations), and the
 * one way they are written: {@link io.jcilium.agent.state.AtomicStateFile}.
 */
package io.jcilium.agent.state;
