package io.jcilium.common.policy.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a rule came from, for traces, errors and the provenance of policy map entries:
 * the object kind, its namespace (empty for cluster-wide policies), name and UID, and the
 * index of the rule in a {@code specs} list.
 *
 * @param kind {@code NetworkPolicy}, {@code CiliumNetworkPolicy} or
 * {@code CiliumClusterwideNetworkPolicy}; {@link #RESERVED} for an entry the agent adds
 * by itself
 * @param namespace the namespace, empty for cluster-wide policies
 * @param name the object name
 * @param index the rule index inside the object
 * @param uid the object's {@code metadata.uid}, empty when unknown (policy read from a
 * file)
 */
public record PolicySource(String kind, String namespace, String name, int index,
		String uid) implements Comparable<PolicySource> {

	/** The kind of {@link #reserved} sources. */
	public static final String RESERVED = "reserved";

	/**
	 * Upstream's source of the ingress entry from the local host that
	 * {@code allow-localhost} adds to every endpoint with ingress enforcement.
	 */
	public static final PolicySource ALLOW_LOCALHOST_INGRESS = reserved("allow-localhost-ingress");

	private static final Comparator<PolicySource> ORDER = Comparator.comparing(PolicySource::kind)
		.thenComparing(PolicySource::namespace)
		.thenComparing(PolicySource::name)
		.thenComparingInt(PolicySource::index)
		.thenComparing(PolicySource::uid);

	public PolicySource {
		uid = (uid != null) ? uid : "";
	}

	/**
	 * A source without a known UID.
	 * @param kind the object kind
	 * @param namespace the namespace, empty for cluster-wide policies
	 * @param name the object name
	 * @param index the rule index inside the object
	 */
	public PolicySource(String kind, String namespace, String name, int index) {
		this(kind, namespace, name, index, "");
	}

	/**
	 * A rule the agent adds by itself rather than one read from a policy object.
	 * @param derivedFrom what it is derived from, e.g. {@code allow-localhost-ingress}
	 * @return the source
	 */
	public static PolicySource reserved(String derivedFrom) {
		return new PolicySource(RESERVED, "", derivedFrom, 0, "");
	}

	/**
	 * The rule's labels as upstream names the rules an entry is derived from
	 * ({@code DerivedFromRules}): {@code k8s:io.cilium.k8s.policy.derived-from=<kind>},
	 * {@code ...name=}, {@code ...namespace=} (namespaced kinds only) and {@code ...uid=}
	 * (when known); a reserved source is
	 * {@code reserved:io.cilium.policy.derived-from=<what>}.
	 * @return the labels, in upstream's order
	 */
	public List<String> labels() {
		if (RESERVED.equals(this.kind)) {
			return List.of("reserved:io.cilium.policy.derived-from=" + this.name);
		}
		List<String> labels = new ArrayList<>(4);
		labels.add("k8s:io.cilium.k8s.policy.derived-from=" + this.kind);
		labels.add("k8s:io.cilium.k8s.policy.name=" + this.name);
		if (!this.namespace.isEmpty()) {
			labels.add("k8s:io.cilium.k8s.policy.namespace=" + this.namespace);
		}
		if (!this.uid.isEmpty()) {
			labels.add("k8s:io.cilium.k8s.policy.uid=" + this.uid);
		}
		return List.copyOf(labels);
	}

	@Override
	public int compareTo(PolicySource other) {
		return ORDER.compare(this, other);
	}

	@Override
	public String toString() {
		if (RESERVED.equals(this.kind)) {
			return RESERVED + " " + this.name;
		}
		String where = this.namespace.isEmpty() ? this.name : this.namespace + "/" + this.name;
		return this.kind + " " + where + ((this.index > 0) ? "[" + this.index + "]" : "");
	}

	/**
	 * The object this rule belongs to, without the rule index (rules of one object are
	 * added and removed together).
	 * @return kind/namespace/name
	 */
	public String objectKey() {
		return this.kind + "/" + this.namespace + "/" + this.name;
	}

}
