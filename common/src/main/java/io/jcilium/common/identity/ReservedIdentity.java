package io.jcilium.common.identity;

import java.util.Locale;
import java.util.Optional;

import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;

/**
 * Cilium's reserved security identities, with upstream's numbers and {@code reserved:}
 * labels. They are fixed in every cluster and never allocated.
 */
public enum ReservedIdentity {

	/** The local node. */
	HOST(1, "host"),

	/** Everything outside the cluster. */
	WORLD(2, "world"),

	/** Endpoints not managed by Cilium. */
	UNMANAGED(3, "unmanaged"),

	/** Cilium's health-check endpoints. */
	HEALTH(4, "health"),

	/** Endpoints whose identity is not yet resolved. */
	INIT(5, "init"),

	/** Other nodes of the cluster. */
	REMOTE_NODE(6, "remote-node"),

	/** The Kubernetes API server backends. */
	KUBE_APISERVER(7, "kube-apiserver"),

	/** Cilium's ingress proxy. */
	INGRESS(8, "ingress"),

	/** The IPv4 part of the world in dual-stack clusters. */
	WORLD_IPV4(9, "world-ipv4"),

	/** The IPv6 part of the world in dual-stack clusters. */
	WORLD_IPV6(10, "world-ipv6");

	private final int id;

	private final String labelName;

	ReservedIdentity(int id, String labelName) {
		this.id = id;
		this.labelName = labelName;
	}

	/**
	 * The numeric identity.
	 * @return upstream's number
	 */
	public int id() {
		return this.id;
	}

	/**
	 * The name used in labels and entities, e.g. {@code remote-node}.
	 * @return the reserved name
	 */
	public String labelName() {
		return this.labelName;
	}

	/**
	 * The identity's label, e.g. {@code reserved:remote-node}.
	 * @return the label
	 */
	public Label label() {
		return Label.reserved(this.labelName);
	}

	/**
	 * The identity's label set.
	 * @return a single {@code reserved:} label
	 */
	public Labels labels() {
		return Labels.of(label());
	}

	/**
	 * The reserved identity with this number.
	 * @param id a numeric identity
	 * @return the reserved identity, if the number is one
	 */
	public static Optional<ReservedIdentity> fromId(long id) {
		for (ReservedIdentity identity : values()) {
			if (identity.id == id) {
				return Optional.of(identity);
			}
		}
		return Optional.empty();
	}

	/**
	 * The reserved identity with this name.
	 * @param name e.g. {@code kube-apiserver}
	 * @return the identity
	 * @throws IllegalArgumentException naming the unknown name
	 */
	public static ReservedIdentity fromName(String name) {
		String lower = (name != null) ? name.toLowerCase(Locale.ROOT) : "";
		for (ReservedIdentity identity : values()) {
			if (identity.labelName.equals(lower)) {
				return identity;
			}
		}
		throw new IllegalArgumentException("unknown reserved identity '" + name + "'");
	}

}
