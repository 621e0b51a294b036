/**
 * The health-check node port of {@code externalTrafficPolicy: Local} LoadBalancer
 * services: an HTTP server per service saying how many of its backends run on this node,
 * so that an outside load balancer sends traffic only to nodes that have one.
 */
package io.jcilium.agent.service.healthcheck;
