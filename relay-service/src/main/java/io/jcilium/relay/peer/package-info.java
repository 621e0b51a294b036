/**
 * Peer discovery: the agents the relay reads, learnt from {@code peer.Peer/Notify}.
 */
package io.jcilium.relay.peer;
