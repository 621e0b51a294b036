/**
 * The agent's health: one actuator health indicator per thing the agent depends on (the
 * Kubernetes API server, the eBPF datapath, identity-service), each saying why when it is
 * DOWN. The standard gRPC health check follows them (application.yaml).
 */
package io.jcilium.agent.health;
