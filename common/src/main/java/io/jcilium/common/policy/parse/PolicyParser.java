package io.jcilium.common.policy.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import io.jcilium.common.policy.model.PolicyRule;

/**
 * Parses policy YAML (one or more documents, or a {@code kind: List}) of
 * {@code networking.k8s.io/v1 NetworkPolicy}, {@code cilium.io/v2 CiliumNetworkPolicy}
 * and {@code cilium.io/v2 CiliumClusterwideNetworkPolicy} into rules. Any error rejects
 * the whole input with a {@link PolicyParseException} naming the object and field path,
 * so a caller can keep the policy in force unchanged.
 */
public final class PolicyParser {

	/** The cluster name used by the {@code cluster} entity when none is configured. */
	public static final String DEFAULT_CLUSTER = "default";

	private final CiliumPolicyParser cilium;

	private final NetworkPolicyParser networkPolicy = new NetworkPolicyParser();

	public PolicyParser() {
		this(DEFAULT_CLUSTER);
	}

	/**
	 * A parser for a named cluster.
	 * @param clusterName the local cluster's name, for the {@code cluster} entity
	 */
	public PolicyParser(String clusterName) {
		this.cilium = new CiliumPolicyParser(clusterName);
	}

	/**
	 * Parse every policy object in the text.
	 * @param yaml the YAML text
	 * @return one entry per object, in order
	 * @throws PolicyParseException if anything is invalid
	 */
	public List<PolicyObject> parse(String yaml) {
		List<Object> documents = new ArrayList<>();
		try {
			for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
				if (document != null) {
					documents.add(document);
				}
			}
		}
		catch (YAMLException ex) {
			throw new PolicyParseException("(yaml)", "not valid YAML: " + ex.getMessage(), ex);
		}
		return objects(documents);
	}

	/**
	 * Parse a policy object that is already a tree of maps and lists (as a Kubernetes
	 * client hands it over), without writing it out as YAML and reading it again.
	 * @param document the object, or a {@code List} of objects
	 * @return one entry per object, in order
	 * @throws PolicyParseException if anything is invalid
	 */
	public List<PolicyObject> parse(Map<String, ?> document) {
		return objects(List.<Object>of(document));
	}

	private List<PolicyObject> objects(List<Object> documents) {
		List<PolicyObject> objects = new ArrayList<>();
		for (int i = 0; i < documents.size(); i++) {
			Node document = new Node("", documents.get(i));
			if ("List".equals(document.get("kind").string())) {
				for (Node item : document.get("items").list()) {
					objects.add(object(item, "items" + item.path().substring("items".length())));
				}
			}
			else {
				objects.add(object(document, "document " + (i + 1)));
			}
		}
		return objects;
	}

	private PolicyObject object(Node root, String where) {
		root.asMap();
		String apiVersion = root.get("apiVersion").string();
		String kind = root.get("kind").string();
		Node metadata = root.get("metadata");
		String name = metadata.get("name").string();
		String namespace = metadata.get("namespace").string();
		// Kept for the provenance of map entries, as upstream's policy.uid label.
		String uid = metadata.get("uid").string();
		// Namespaced kinds without a namespace land in "default", as kubectl would put
		// them.
		String shownNamespace = (namespace == null && !"CiliumClusterwideNetworkPolicy".equals(kind)) ? "default"
				: namespace;
		String label = kind + " " + ((shownNamespace != null) ? shownNamespace + "/" : "") + name;
		try {
			if (name == null || name.isEmpty()) {
				throw metadata.get("name").error("is required");
			}
			if ("NetworkPolicy".equals(kind) && "networking.k8s.io/v1".equals(apiVersion)) {
				String ns = (namespace != null) ? namespace : "default";
				return new PolicyObject(kind, ns, name, this.networkPolicy.parse(root, ns, name, uid));
			}
			if ("CiliumNetworkPolicy".equals(kind) && "cilium.io/v2".equals(apiVersion)) {
				String ns = (namespace != null) ? namespace : "default";
				return new PolicyObject(kind, ns, name, this.cilium.parse(root, kind, ns, name, uid));
			}
			if ("CiliumClusterwideNetworkPolicy".equals(kind) && "cilium.io/v2".equals(apiVersion)) {
				return new PolicyObject(kind, "", name, this.cilium.parse(root, kind, "", name, uid));
			}
			throw root.get("kind")
				.error("unsupported kind '" + kind + "' of apiVersion '" + apiVersion
						+ "', expected networking.k8s.io/v1 NetworkPolicy or cilium.io/v2 CiliumNetworkPolicy or "
						+ "CiliumClusterwideNetworkPolicy");
		}
		catch (PolicyParseException ex) {
			String path = ex.path().isEmpty() ? "" : " " + ex.path();
			throw new PolicyParseException(label + " (" + where + "):" + path, ex.problem(), ex);
		}
	}

	/**
	 * One parsed policy object.
	 *
	 * @param kind its kind
	 * @param namespace its namespace, empty for cluster-wide
	 * @param name its name
	 * @param rules its rules
	 */
	public record PolicyObject(String kind, String namespace, String name, List<PolicyRule> rules) {

		public PolicyObject {
			rules = List.copyOf(rules);
		}

		/**
		 * The key rules are stored under in a repository: kind/namespace/name.
		 * @return the key
		 */
		public String key() {
			return this.kind + "/" + this.namespace + "/" + this.name;
		}

	}

}
