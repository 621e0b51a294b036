package io.jcilium.common.policy.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.services.ClusterService;

/**
 * Namespaces, pods, outside peers and services for an offline trace, read from YAML
 * (format in {@link OfflineTrace}, services in {@link ServiceSpecs}).
 *
 * @param clusterName the cluster's name
 * @param mode the enforcement mode text ({@code default}, {@code always}, {@code never})
 * @param namespaces namespaces with their labels
 * @param pods the pods
 * @param externals peers outside the pods: an IP address or a reserved entity
 * @param services the services {@code toServices} rules resolve against
 */
public record ClusterSpec(String clusterName, String mode, List<NamespaceSpec> namespaces, List<PodSpec> pods,
		List<ExternalSpec> externals, List<ClusterService> services) {

	public ClusterSpec {
		services = List.copyOf(services);
	}

	/**
	 * A cluster without services.
	 */
	public ClusterSpec(String clusterName, String mode, List<NamespaceSpec> namespaces, List<PodSpec> pods,
			List<ExternalSpec> externals) {
		this(clusterName, mode, namespaces, pods, externals, List.of());
	}

	/**
	 * A namespace.
	 *
	 * @param name its name
	 * @param labels its labels ({@code kubernetes.io/metadata.name} is added as
	 * Kubernetes does)
	 */
	public record NamespaceSpec(String name, Map<String, String> labels) {
	}

	/**
	 * A pod.
	 *
	 * @param namespace its namespace
	 * @param name its name
	 * @param labels its labels
	 * @param serviceAccount its service account, or {@code null}
	 * @param ports its named container ports
	 */
	public record PodSpec(String namespace, String name, Map<String, String> labels, String serviceAccount,
			List<NamedPort> ports) {

		public String displayName() {
			return this.namespace + "/" + this.name;
		}

	}

	/**
	 * A peer that is not a pod.
	 *
	 * @param name how it is printed
	 * @param ip its address, or {@code null}
	 * @param entity a reserved identity name ({@code host}, {@code remote-node}, ...), or
	 * {@code null}
	 */
	public record ExternalSpec(String name, String ip, String entity) {
	}

	/**
	 * Parse the YAML.
	 * @param yaml the text
	 * @return the spec
	 * @throws IllegalArgumentException naming the bad field
	 */
	public static ClusterSpec parse(String yaml) {
		Object root;
		try {
			root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
		}
		catch (YAMLException ex) {
			throw new IllegalArgumentException("pods file is not valid YAML: " + ex.getMessage(), ex);
		}
		Map<?, ?> map = map(root, "pods file");
		List<NamespaceSpec> namespaces = new ArrayList<>();
		List<?> nsList = list(map.get("namespaces"), "namespaces");
		for (int i = 0; i < nsList.size(); i++) {
			Map<?, ?> ns = map(nsList.get(i), "namespaces[" + i + "]");
			namespaces.add(new NamespaceSpec(required(ns, "name", "namespaces[" + i + "]"),
					strings(ns.get("labels"), "namespaces[" + i + "].labels")));
		}
		List<PodSpec> pods = new ArrayList<>();
		List<?> podList = list(map.get("pods"), "pods");
		for (int i = 0; i < podList.size(); i++) {
			String path = "pods[" + i + "]";
			Map<?, ?> pod = map(podList.get(i), path);
			List<NamedPort> ports = new ArrayList<>();
			List<?> portList = list(pod.get("ports"), path + ".ports");
			for (int j = 0; j < portList.size(); j++) {
				Map<?, ?> port = map(portList.get(j), path + ".ports[" + j + "]");
				Object number = port.get("port");
				if (!(number instanceof Integer)) {
					throw new IllegalArgumentException(path + ".ports[" + j + "].port: expected a number");
				}
				Object protocol = port.get("protocol");
				ports.add(new NamedPort(required(port, "name", path + ".ports[" + j + "]"), (Integer) number,
						(protocol != null) ? Protocol.parse(String.valueOf(protocol)) : Protocol.TCP));
			}
			String namespace = required(pod, "namespace", path);
			if (namespaces.stream().noneMatch((ns) -> ns.name().equals(namespace))) {
				namespaces.add(new NamespaceSpec(namespace, Map.of()));
			}
			Object sa = pod.get("serviceAccount");
			pods.add(new PodSpec(namespace, required(pod, "name", path), strings(pod.get("labels"), path + ".labels"),
					(sa != null) ? String.valueOf(sa) : null, ports));
		}
		List<ExternalSpec> externals = new ArrayList<>();
		List<?> extList = list(map.get("externals"), "externals");
		for (int i = 0; i < extList.size(); i++) {
			String path = "externals[" + i + "]";
			Map<?, ?> ext = map(extList.get(i), path);
			Object ip = ext.get("ip");
			Object entity = ext.get("entity");
			if ((ip == null) == (entity == null)) {
				throw new IllegalArgumentException(path + ": give exactly one of 'ip' and 'entity'");
			}
			externals.add(new ExternalSpec(required(ext, "name", path), (ip != null) ? String.valueOf(ip) : null,
					(entity != null) ? String.valueOf(entity) : null));
		}
		Object cluster = map.get("clusterName");
		Object mode = map.get("mode");
		return new ClusterSpec((cluster != null) ? String.valueOf(cluster) : "default",
				(mode != null) ? String.valueOf(mode) : "default", namespaces, pods, externals,
				ServiceSpecs.parse(map.get("services")));
	}

	private static Map<?, ?> map(Object value, String path) {
		if (value == null) {
			return Map.of();
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(path + ": expected an object");
		}
		return map;
	}

	private static List<?> list(Object value, String path) {
		if (value == null) {
			return List.of();
		}
		if (!(value instanceof List<?> list)) {
			throw new IllegalArgumentException(path + ": expected a list");
		}
		return list;
	}

	private static Map<String, String> strings(Object value, String path) {
		Map<String, String> out = new LinkedHashMap<>();
		map(value, path).forEach((k, v) -> out.put(String.valueOf(k), (v != null) ? String.valueOf(v) : ""));
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
