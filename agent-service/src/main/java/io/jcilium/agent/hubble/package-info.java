/**
 * Hubble on the agent: datapath events become flows enriched with pods and labels, kept
 * in a ring of flows with counted losses, and served by the {@code observer.Observer}
 * gRPC service on the agent's gRPC port (upstream's :4244).
 */
package io.jcilium.agent.hubble;
