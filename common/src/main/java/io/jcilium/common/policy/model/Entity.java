package io.jcilium.common.policy.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * The entities of {@code fromEntities}/{@code toEntities}, as upstream defines them.
 */
public enum Entity {

	/** The local host. */
	HOST("host"),

	/** Other nodes of the cluster. */
	REMOTE_NODE("remote-node"),

	/** The Kubernetes API server. */
	KUBE_APISERVER("kube-apiserver"),

	/** Cilium's ingress proxy. */
	INGRESS("ingress"),

	/** Everything in the local cluster: pods and the reserved cluster identities. */
	CLUSTER("cluster"),

	/** Endpoints whose identity is not yet known. */
	INIT("init"),

	/** Health-check endpoints. */
	HEALTH("health"),

	/** Endpoints not managed by Cilium. */
	UNMANAGED("unmanaged"),

	/** Everything outside the cluster, IPv4 and IPv6, including CIDR identities. */
	WORLD("world"),

	/** The IPv4 outside world. */
	WORLD_IPV4("world-ipv4"),

	/** The IPv6 outside world. */
	WORLD_IPV6("world-ipv6"),

	/** Everything. */
	ALL("all");

	private final String text;

	Entity(String text) {
		this.text = text;
	}

	public String text() {
		return this.text;
	}

	/**
	 * Parse an entity name.
	 * @param text e.g. {@code remote-node}
	 * @return the entity
	 * @throws IllegalArgumentException naming the entity and the known ones
	 */
	public static Entity parse(String text) {
		String lower = (text != null) ? text.toLowerCase(Locale.ROOT) : "";
		for (Entity entity : values()) {
			if (entity.text.equals(lower)) {
				return entity;
			}
		}
		throw new IllegalArgumentException(
				"unknown entity '" + text + "', known entities: " + Arrays.stream(values()).map(Entity::text).toList());
	}

}
