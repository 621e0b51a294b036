package io.jcilium.agent.service.healthcheck;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

/**
 * What a service's health-check node port answers on this node. Kubernetes allocates
 * {@code spec.healthCheckNodePort} for a LoadBalancer service with
 * {@code externalTrafficPolicy: Local}; every node answers on it with the number of the
 * service's ready endpoints it runs, as kube-proxy and upstream's agent do.
 *
 * @param nodePort the port
 * @param localEndpoints ready endpoints of the service on this node (distinct addresses)
 */
public record HealthCheck(int nodePort, int localEndpoints) {

	/**
	 * The health check of a service on a node.
	 * @param service the Service
	 * @param slices its EndpointSlices
	 * @param nodeName this node
	 * @return the health check, or {@code null} if the service has none
	 */
	public static HealthCheck of(Service service, List<EndpointSlice> slices, String nodeName) {
		ServiceSpec spec = service.getSpec();
		if (spec == null || !"LoadBalancer".equals(spec.getType()) || !"Local".equals(spec.getExternalTrafficPolicy())
				|| spec.getHealthCheckNodePort() == null || spec.getHealthCheckNodePort() <= 0) {
			return null;
		}
		Set<String> local = new LinkedHashSet<>();
		for (EndpointSlice slice : slices) {
			for (Endpoint endpoint : (slice.getEndpoints() != null) ? slice.getEndpoints() : List.<Endpoint>of()) {
				// ready unset counts as ready (discovery.k8s.io/v1: "should be
				// interpreted as true")
				boolean ready = endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
						|| endpoint.getConditions().getReady();
				if (ready && nodeName.equals(endpoint.getNodeName()) && endpoint.getAddresses() != null) {
					local.addAll(endpoint.getAddresses());
				}
			}
		}
		return new HealthCheck(spec.getHealthCheckNodePort(), local.size());
	}

}
