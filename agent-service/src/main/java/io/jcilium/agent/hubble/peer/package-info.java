/**
 * Hubble's {@code peer.Peer} on the agent: the cluster's nodes, from their CiliumNodes,
 * as the peers a relay connects to.
 */
package io.jcilium.agent.hubble.peer;
