package io.jcilium.api.crd.v2;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * A pod's endpoint as published by its agent. Upstream has no spec: everything is status.
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2)
@ShortNames({ "cep", "ciliumep" })
@AdditionalPrinterColumn(name = "Security Identity", jsonPath = ".status.identity.id",
		type = AdditionalPrinterColumn.Type.INTEGER, getDescription = "Security Identity")
@AdditionalPrinterColumn(name = "Ingress Enforcement", jsonPath = ".status.policy.ingress.state",
		type = AdditionalPrinterColumn.Type.STRING, getDescription = "Ingress enforcement in the endpoint",
		priority = 1)
@AdditionalPrinterColumn(name = "Egress Enforcement", jsonPath = ".status.policy.egress.state",
		type = AdditionalPrinterColumn.Type.STRING, getDescription = "Egress enforcement in the endpoint", priority = 1)
@AdditionalPrinterColumn(name = "Endpoint State", jsonPath = ".status.state",
		type = AdditionalPrinterColumn.Type.STRING, getDescription = "Endpoint current state")
@AdditionalPrinterColumn(name = "IPv4", jsonPath = ".status.networking.addressing[0].ipv4",
		type = AdditionalPrinterColumn.Type.STRING, getDescription = "Endpoint IPv4 address")
@AdditionalPrinterColumn(name = "IPv6", jsonPath = ".status.networking.addressing[0].ipv6",
		type = AdditionalPrinterColumn.Type.STRING, getDescription = "Endpoint IPv6 address")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumEndpoint extends CustomResource<Void, CiliumEndpoint.Status> implements Namespaced {

	private static final long serialVersionUID = 1L;

	/** What the agent reports about the endpoint. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Status {

		public Long id;

		public Identity identity;

		public Networking networking;

		public CiliumNode.Encryption encryption;

		public Policy policy;

		public String state;

		@JsonProperty("named-ports")
		public List<NamedPort> namedPorts;

		@JsonProperty("external-identifiers")
		public ExternalIdentifiers externalIdentifiers;

		@JsonProperty("service-account")
		public String serviceAccount;

	}

	/** The endpoint's security identity. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Identity {

		public Long id;

		public List<String> labels;

	}

	/** Addresses of the endpoint and the node hosting it. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Networking {

		public List<CiliumNode.AddressPair> addressing;

		public String node;

	}

	/** Policy enforcement per direction. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Policy {

		public DirectionPolicy ingress;

		public DirectionPolicy egress;

	}

	/**
	 * Policy in one direction, as upstream's {@code EndpointPolicyDirection}: whether it
	 * is enforced, and the peers, ports and protocols it allows and denies.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class DirectionPolicy {

		public Boolean enforcing;

		/**
		 * Allowed peers; one empty tuple when the direction is not enforced (any peer).
		 */
		public List<IdentityTuple> allowed;

		public List<IdentityTuple> denied;

		public String state;

	}

	/**
	 * A peer by identity, destination port and protocol, as upstream's
	 * {@code IdentityTuple}: a field left out is a wildcard (identity 0 is any peer, port
	 * 0 any port, protocol 0 any protocol). Upstream's tuple has no port range: a range
	 * shows as one tuple per policy map entry, each with its first port.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class IdentityTuple {

		public Long identity;

		/**
		 * The peer identity's labels, {@code source:key} to value (upstream's
		 * {@code Labels.StringMap}).
		 */
		@JsonProperty("identity-labels")
		public Map<String, String> identityLabels;

		@JsonProperty("dest-port")
		public Integer destPort;

		public Integer protocol;

	}

	/** A named container port. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class NamedPort {

		public String name;

		public Integer port;

		public String protocol;

	}

	/** Identifiers of the endpoint outside Cilium. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class ExternalIdentifiers {

		@JsonProperty("container-id")
		public String containerId;

		@JsonProperty("container-name")
		public String containerName;

		@JsonProperty("k8s-namespace")
		public String k8sNamespace;

		@JsonProperty("k8s-pod-name")
		public String k8sPodName;

		@JsonProperty("pod-name")
		public String podName;

		@JsonProperty("cni-attachment-id")
		public String cniAttachmentId;

	}

}
