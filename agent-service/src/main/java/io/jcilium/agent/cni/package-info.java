/**
 * The agent's REST API on a unix socket ({@code /v1/...}, as upstream's agent API) and
 * the CNI side of it: ADD, DEL and CHECK forwarded by the {@code jcilium-cni} plugin.
 */
package io.jcilium.agent.cni;
