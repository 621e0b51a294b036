package io.jcilium.agent.link;

/**
 * The result of connecting a pod: what the CNI result and the datapath need.
 *
 * @param hostIfName node-side veth name
 * @param hostIfIndex node-side interface index (the datapath attaches there)
 * @param hostMac node-side MAC
 * @param podIfName pod-side name
 * @param podMac pod-side MAC
 */
public record PodLink(String hostIfName, int hostIfIndex, String hostMac, String podIfName, String podMac) {

}
