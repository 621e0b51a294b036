package io.jcilium.agent.endpoint;

import java.net.InetAddress;

/**
 * What CNI ADD asks for.
 *
 * @param containerId the runtime's container id ({@code CNI_CONTAINERID})
 * @param podIfName interface name in the pod ({@code CNI_IFNAME})
 * @param netnsPath the pod's network namespace ({@code CNI_NETNS})
 * @param podNamespace Kubernetes namespace, or {@code null} when the runtime gives none
 * @param podName pod name, or {@code null}
 * @param requestedIp a specific address ({@code IP=} in {@code CNI_ARGS}), or
 * {@code null} to allocate one
 */
public record EndpointRequest(String containerId, String podIfName, String netnsPath, String podNamespace,
		String podName, InetAddress requestedIp) {

}
