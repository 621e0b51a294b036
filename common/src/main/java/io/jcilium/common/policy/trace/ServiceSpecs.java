package io.jcilium.common.policy.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.services.ClusterService;

/**
 * The {@code services} section of an offline trace's pods file: what {@code toServices}
 * rules resolve against, the offline counterpart of the agent's Service and EndpointSlice
 * watch. A service has either a pod {@code selector} (its backends are the pods it
 * selects, as in the live cluster) or, without one, {@code endpoints}: the backend
 * addresses an EndpointSlice would list.
 *
 * <pre>
 * services:
 *   - namespace: shop          # required
 *     name: web                # required
 *     labels: {tier: front}    # the service's own labels, for k8sServiceSelector
 *     selector: {app: web}     # spec.selector
 *   - {namespace: shop, name: db, endpoints: [192.0.2.10]}   # no selector
 * </pre>
 */
final class ServiceSpecs {

	private ServiceSpecs() {
	}

	/**
	 * Parse the section.
	 * @param value the {@code services} value, or {@code null}
	 * @return the services, in file order
	 * @throws IllegalArgumentException naming the bad field
	 */
	static List<ClusterService> parse(Object value) {
		if (value == null) {
			return List.of();
		}
		if (!(value instanceof List<?> list)) {
			throw new IllegalArgumentException("services: expected a list");
		}
		List<ClusterService> services = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			String path = "services[" + i + "]";
			if (!(list.get(i) instanceof Map<?, ?> service)) {
				throw new IllegalArgumentException(path + ": expected an object");
			}
			Map<String, String> selector = strings(service.get("selector"), path + ".selector");
			List<Cidr> endpoints = endpoints(service.get("endpoints"), path + ".endpoints");
			if (!selector.isEmpty() && !endpoints.isEmpty()) {
				throw new IllegalArgumentException(path + ": give 'selector' or 'endpoints', not both "
						+ "(a service with a selector has the pods it selects as backends)");
			}
			services.add(new ClusterService(required(service, "namespace", path), required(service, "name", path),
					strings(service.get("labels"), path + ".labels"), selector, endpoints));
		}
		return services;
	}

	private static List<Cidr> endpoints(Object value, String path) {
		if (value == null) {
			return List.of();
		}
		if (!(value instanceof List<?> list)) {
			throw new IllegalArgumentException(path + ": expected a list of addresses");
		}
		List<Cidr> addresses = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			String address = String.valueOf(list.get(i));
			Cidr cidr;
			try {
				cidr = Cidr.parse(address);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(path + "[" + i + "]: '" + address + "' is not an IP address", ex);
			}
			if (cidr.prefixLength() != (cidr.isIpv4() ? 32 : 128)) {
				throw new IllegalArgumentException(
						path + "[" + i + "]: '" + address + "' is a prefix; an endpoint is one address");
			}
			addresses.add(cidr);
		}
		return addresses;
	}

	private static Map<String, String> strings(Object value, String path) {
		if (value == null) {
			return Map.of();
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(path + ": expected an object");
		}
		Map<String, String> out = new LinkedHashMap<>();
		map.forEach((k, v) -> out.put(String.valueOf(k), (v != null) ? String.valueOf(v) : ""));
		return out;
	}

	private static String required(Map<?, ?> map, String field, String path) {
		Object value = map.get(field);
		if (value == null || String.valueOf(value).isEmpty()) {
			throw new IllegalArgumentException(path + "." + field + ": is required");
		}
		return String.valueOf(value);
	}

}
