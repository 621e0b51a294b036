/**
 * The relay's connections: one gRPC channel per agent, whether each agent answers, and
 * reconnection with backoff behind a circuit breaker per agent.
 */
package io.jcilium.relay.pool;
