package io.jcilium.agent.k8s;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jcilium.api.crd.CiliumGroup;

/**
 * The policy kinds the agent enforces, with what it takes to address them in the API.
 */
public enum PolicyKind {

	NETWORK_POLICY("NetworkPolicy", "networking.k8s.io", "v1", "networkpolicies", true),

	CILIUM_NETWORK_POLICY("CiliumNetworkPolicy", CiliumGroup.GROUP, CiliumGroup.V2, "ciliumnetworkpolicies", true),

	CILIUM_CLUSTERWIDE_NETWORK_POLICY("CiliumClusterwideNetworkPolicy", CiliumGroup.GROUP, CiliumGroup.V2,
			"ciliumclusterwidenetworkpolicies", false);

	private final String kind;

	private final ResourceDefinitionContext context;

	private final boolean namespaced;

	PolicyKind(String kind, String group, String version, String plural, boolean namespaced) {
		this.kind = kind;
		this.namespaced = namespaced;
		this.context = new ResourceDefinitionContext.Builder().withGroup(group)
			.withVersion(version)
			.withKind(kind)
			.withPlural(plural)
			.withNamespaced(namespaced)
			.build();
	}

	public String kind() {
		return this.kind;
	}

	public ResourceDefinitionContext context() {
		return this.context;
	}

	/**
	 * The key the policy engine stores an object's rules under, the same as
	 * {@link io.jcilium.common.policy.parse.PolicyParser.PolicyObject#key()}, so a
	 * deletion can be passed on without parsing the deleted object.
	 * @param namespace the object's namespace ({@code null} or ignored for cluster-wide)
	 * @param name the object's name
	 * @return the key
	 */
	public String key(String namespace, String name) {
		return this.kind + "/" + ((this.namespaced && namespace != null) ? namespace : "") + "/" + name;
	}

}
