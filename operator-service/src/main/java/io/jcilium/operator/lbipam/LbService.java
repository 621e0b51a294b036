package io.jcilium.operator.lbipam;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;

/**
 * A {@code type: LoadBalancer} Service as the LB-IPAM rules see it.
 *
 * @param namespace the namespace
 * @param name the name
 * @param creationOrder orders services by age: an older service keeps a contested address
 * @param labels the Service's labels
 * @param families the requested families ({@link Family#IPV4} first when both)
 * @param preferDualStack {@code ipFamilyPolicy: PreferDualStack}: a family no enabled
 * pool serves is left out instead of failing the request, as long as one family is served
 * @param requestedIps {@code spec.loadBalancerIP} and {@code lbipam.cilium.io/ips}, in
 * that order
 * @param sharingKey {@code lbipam.cilium.io/sharing-key}, or {@code null}
 * @param sharingNamespaces {@code lbipam.cilium.io/sharing-cross-namespace} ({@code *}
 * for all)
 * @param ports the Service's ports
 * @param currentIps the addresses in {@code status.loadBalancer.ingress} now
 */
public record LbService(String namespace, String name, long creationOrder, Map<String, String> labels,
		Set<Family> families, boolean preferDualStack, List<String> requestedIps, String sharingKey,
		Set<String> sharingNamespaces, List<Port> ports, List<String> currentIps) {

	/** Selector key matching the Service's namespace, as upstream. */
	public static final String NAMESPACE_LABEL = "io.kubernetes.service.namespace";

	/** Selector key matching the Service's name, as upstream. */
	public static final String NAME_LABEL = "io.kubernetes.service.name";

	public LbService {
		labels = Map.copyOf(labels);
		families = Set.copyOf(families);
		requestedIps = List.copyOf(requestedIps);
		sharingKey = (sharingKey == null || sharingKey.isBlank()) ? null : sharingKey;
		sharingNamespaces = Set.copyOf(sharingNamespaces);
		ports = List.copyOf(ports);
		currentIps = List.copyOf(currentIps);
	}

	public String key() {
		return this.namespace + "/" + this.name;
	}

	Labels selectorLabels() {
		Map<String, String> all = new HashMap<>(this.labels);
		all.put(NAMESPACE_LABEL, this.namespace);
		all.put(NAME_LABEL, this.name);
		List<Label> labels = new ArrayList<>();
		all.forEach((key, value) -> labels.add(Label.k8s(key, value)));
		return Labels.of(labels);
	}

	/**
	 * Whether this service may share an address with the other: the same sharing key, no
	 * port used by both with the same protocol, and, across namespaces, each allowing the
	 * other's namespace.
	 * @param other a service already on the address
	 * @return {@code null} when compatible, else why not
	 */
	String incompatibilityWith(LbService other) {
		if (this.sharingKey == null || !this.sharingKey.equals(other.sharingKey)) {
			return "the services have different sharing keys";
		}
		if (!this.namespace.equals(other.namespace)
				&& !(this.allowsNamespace(other.namespace) && other.allowsNamespace(this.namespace))) {
			return "service '" + other.key() + "' is in another namespace and the two do not both allow sharing "
					+ "across namespaces (lbipam.cilium.io/sharing-cross-namespace)";
		}
		for (Port port : this.ports) {
			if (other.ports.contains(port)) {
				return "port " + port + " is also used by service '" + other.key() + "'";
			}
		}
		return null;
	}

	private boolean allowsNamespace(String namespace) {
		return this.sharingNamespaces.contains("*") || this.sharingNamespaces.contains(namespace);
	}

	/** An address family. */
	public enum Family {

		/** IPv4. */
		IPV4,

		/** IPv6. */
		IPV6

	}

	/**
	 * A Service port.
	 *
	 * @param port the port number
	 * @param protocol {@code TCP}, {@code UDP} or {@code SCTP}
	 */
	public record Port(int port, String protocol) {

		@Override
		public String toString() {
			return this.port + "/" + this.protocol;
		}

	}

}
