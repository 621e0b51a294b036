/**
 * The agent's Spring AOT mode kept honest: the start-up the build processed ahead of time
 * is used only where the configuration matches the one it was processed with.
 */
package io.jcilium.agent.aot;
