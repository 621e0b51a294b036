/**
 * Durable flow history: the flows of the ring also appended to segment files under the
 * agent's state directory, kept for a configured time and size, and read back by
 * {@code GetFlows} calls with {@code since} before they continue in the ring. Plain Java;
 * the observer wires it.
 */
package io.jcilium.agent.hubble.history;
