/**
 * Services and EndpointSlices as frontends with their backends: service types, ports,
 * families, traffic policies, affinity, terminating endpoints. Pure functions.
 */
package io.jcilium.agent.service.translate;
