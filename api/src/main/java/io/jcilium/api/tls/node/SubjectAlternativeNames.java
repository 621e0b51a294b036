package io.jcilium.api.tls.node;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The subject alternative names of a certificate, as sets so that order does not matter
 * when two are compared.
 *
 * @param dnsNames the DNS names
 * @param ipAddresses the IP addresses, in their usual text form
 */
public record SubjectAlternativeNames(Set<String> dnsNames, Set<String> ipAddresses) {

	public SubjectAlternativeNames {
		dnsNames = Set.copyOf(new TreeSet<>(dnsNames));
		ipAddresses = Set.copyOf(new TreeSet<>(ipAddresses));
	}

	/**
	 * The names a node's certificate carries: upstream's Hubble server name
	 * {@code <node>.<cluster>.hubble-grpc.cilium.io} (dots in node and cluster replaced
	 * by hyphens), the node's InternalIPs, and the names every agent's certificate
	 * carries (the chart's: {@code localhost}, the hubble-peer Service,
	 * {@code 127.0.0.1}), so the same certificate serves port 4244 to the relay and the
	 * local bgp-service.
	 * @param node the node's name
	 * @param cluster the cluster's name
	 * @param internalIps the node's InternalIP addresses
	 * @param commonDnsNames DNS names every agent's certificate carries
	 * @param commonIpAddresses IP addresses every agent's certificate carries
	 * @return the expected names
	 */
	public static SubjectAlternativeNames forNode(String node, String cluster, Collection<String> internalIps,
			Collection<String> commonDnsNames, Collection<String> commonIpAddresses) {
		Set<String> dns = new TreeSet<>(commonDnsNames);
		dns.add(hubbleServerName(node, cluster));
		Set<String> ips = new TreeSet<>(commonIpAddresses);
		ips.addAll(internalIps);
		return new SubjectAlternativeNames(dns, ips);
	}

	/**
	 * Upstream's TLS server name of a node's Hubble server.
	 * @param node the node's name
	 * @param cluster the cluster's name
	 * @return {@code <node>.<cluster>.hubble-grpc.cilium.io}, dots in node and cluster
	 * replaced by hyphens
	 */
	public static String hubbleServerName(String node, String cluster) {
		return node.replace('.', '-') + "." + cluster.replace('.', '-') + ".hubble-grpc.cilium.io";
	}

	/** The names in a stable order, for messages. */
	@Override
	public String toString() {
		return "DNS " + List.copyOf(new TreeSet<>(this.dnsNames)) + ", IP "
				+ List.copyOf(new TreeSet<>(this.ipAddresses));
	}

}
