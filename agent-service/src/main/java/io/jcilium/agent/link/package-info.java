/**
 * Kernel network plumbing for pods: the veth pair, the pod's address and routes, the
 * node-side sysctls. Behind {@link io.jcilium.agent.link.LinkOperations} so the endpoint
 * lifecycle is tested against a fake and the kernel is tested once, for real.
 */
package io.jcilium.agent.link;
