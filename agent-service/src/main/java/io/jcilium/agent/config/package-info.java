/**
 * The agent's configuration as {@code cilium-dbg config} shows it: the options fixed at
 * start, and the few that can change while the agent runs.
 */
package io.jcilium.agent.config;
