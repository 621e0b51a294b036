package io.jcilium.operator.nodecert;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.jcilium.api.tls.node.NodeCertificates;
import io.jcilium.api.tls.node.SubjectAlternativeNames;
import io.jcilium.common.net.IpAddress;

/**
 * Decides whether a node certificate request is approved: only when the API server says
 * it comes from the agent's ServiceAccount, through a token bound to an agent pod that
 * runs on the very node the requested common name names, for a P-256 key, with exactly
 * the names that node's certificate carries and no other usages. Plain rules over what
 * the request and the cluster say; no I/O of its own.
 */
final class NodeCertificateApprover {

	private final String agentNamespace;

	private final String agentServiceAccount;

	private final String clusterName;

	private final List<String> commonDnsNames;

	private final List<String> commonIpAddresses;

	/**
	 * @param agentNamespace the agents' namespace
	 * @param agentServiceAccount the agents' ServiceAccount
	 * @param clusterName the cluster's name, in the Hubble server name
	 * @param commonDnsNames DNS names every agent's certificate carries
	 * @param commonIpAddresses IP addresses every agent's certificate carries
	 */
	NodeCertificateApprover(String agentNamespace, String agentServiceAccount, String clusterName,
			List<String> commonDnsNames, List<String> commonIpAddresses) {
		this.agentNamespace = agentNamespace;
		this.agentServiceAccount = agentServiceAccount;
		this.clusterName = clusterName;
		this.commonDnsNames = List.copyOf(commonDnsNames);
		this.commonIpAddresses = List.copyOf(commonIpAddresses);
	}

	/**
	 * Reviews a request.
	 * @param spec the CSR's spec, with what the API server recorded about the requester
	 * @param pods the agents' pods by name (null when there is none)
	 * @param nodes the nodes by name (null when there is none)
	 * @return approve, or deny with the reason
	 */
	Decision review(CertificateSigningRequestSpec spec, Function<String, Pod> pods, Function<String, Node> nodes) {
		String expectedUser = NodeCertificates.serviceAccountUser(this.agentNamespace, this.agentServiceAccount);
		if (!expectedUser.equals(spec.getUsername())) {
			return Decision.deny("NotAgentServiceAccount",
					"requested by '" + spec.getUsername() + "', not by the agents' ServiceAccount " + expectedUser);
		}
		NodeCertificateRequest request;
		try {
			request = NodeCertificateRequest
				.decode(new String(Base64.getDecoder().decode(nonNull(spec.getRequest())), StandardCharsets.US_ASCII));
		}
		catch (IllegalArgumentException ex) {
			return Decision.deny("BadRequest", ex.getMessage());
		}
		String node = NodeCertificates.nodeOf(request.commonName());
		if (node == null) {
			return Decision.deny("NotANodeName",
					"the subject's common name '" + request.commonName() + "' is not system:node:<node>");
		}
		String podName = extra(spec, NodeCertificates.POD_NAME_EXTRA);
		String tokenNode = extra(spec, NodeCertificates.NODE_NAME_EXTRA);
		if (podName == null || tokenNode == null) {
			return Decision.deny("NoBoundPod",
					"the requester's token names no pod and node (spec.extra " + NodeCertificates.POD_NAME_EXTRA
							+ " and " + NodeCertificates.NODE_NAME_EXTRA
							+ "): the agent must use a bound ServiceAccount token (Kubernetes 1.30+)");
		}
		if (!node.equals(tokenNode)) {
			return Decision.deny("NodeMismatch", "the requester runs on node '" + tokenNode
					+ "' but asks for a certificate naming node '" + node + "'");
		}
		Pod pod = pods.apply(podName);
		if (pod == null) {
			return Decision.deny("NoAgentPod",
					"no pod '" + podName + "' in namespace '" + this.agentNamespace + "' made this request");
		}
		String podUid = extra(spec, NodeCertificates.POD_UID_EXTRA);
		if ((podUid != null && !podUid.equals(pod.getMetadata().getUid()))
				|| !this.agentServiceAccount.equals(pod.getSpec().getServiceAccountName())) {
			return Decision.deny("NoAgentPod", "pod '" + podName + "' is not the agent pod the token was issued to");
		}
		if (!node.equals(pod.getSpec().getNodeName())) {
			return Decision.deny("NodeMismatch", "agent pod '" + podName + "' runs on node '"
					+ pod.getSpec().getNodeName() + "', not on node '" + node + "'");
		}
		if (!request.p256()) {
			return Decision.deny("KeyNotP256", "the request's key is not an ECDSA P-256 key");
		}
		Node nodeObject = nodes.apply(node);
		if (nodeObject == null) {
			return Decision.deny("NoSuchNode", "node '" + node + "' does not exist");
		}
		SubjectAlternativeNames expected = SubjectAlternativeNames.forNode(node, this.clusterName,
				canonical(internalIps(nodeObject)), this.commonDnsNames, canonical(this.commonIpAddresses));
		if (!expected.equals(request.names())) {
			return Decision.deny("WrongNames",
					"the request asks for " + request.names() + " but node '" + node + "' gets exactly " + expected);
		}
		Set<String> usages = new TreeSet<>((spec.getUsages() != null) ? spec.getUsages() : List.of());
		if (!usages.equals(new TreeSet<>(NodeCertificates.USAGES))) {
			return Decision.deny("WrongUsages",
					"the request asks for usages " + usages + ", a node's certificate has " + NodeCertificates.USAGES);
		}
		return Decision.approve(node);
	}

	static List<String> internalIps(Node node) {
		List<NodeAddress> addresses = (node.getStatus() != null && node.getStatus().getAddresses() != null)
				? node.getStatus().getAddresses() : List.of();
		return addresses.stream()
			.filter((address) -> "InternalIP".equals(address.getType()))
			.map(NodeAddress::getAddress)
			.toList();
	}

	/**
	 * Addresses in the one text form the request's are read in (RFC 5952 for IPv6), so
	 * that {@code fd00::5} on the Node and {@code fd00:0:0:0:0:0:0:5} compare equal; a
	 * text that is no literal address stays as it is, and so never matches.
	 */
	private static List<String> canonical(List<String> addresses) {
		return addresses.stream().map(NodeCertificateApprover::canonical).toList();
	}

	private static String canonical(String address) {
		try {
			return IpAddress.format(IpAddress.parseLiteral(address));
		}
		catch (IllegalArgumentException ex) {
			return address;
		}
	}

	private static String extra(CertificateSigningRequestSpec spec, String key) {
		Map<String, List<String>> extra = (spec.getExtra() != null) ? spec.getExtra() : Map.of();
		List<String> values = extra.get(key);
		return (values != null && values.size() == 1 && !values.get(0).isBlank()) ? values.get(0) : null;
	}

	private static String nonNull(String value) {
		return (value != null) ? value : "";
	}

	/**
	 * The outcome of a review.
	 *
	 * @param approved whether the request is approved
	 * @param reason the condition's reason (CamelCase)
	 * @param message the condition's message
	 */
	record Decision(boolean approved, String reason, String message) {

		static Decision approve(String node) {
			return new Decision(true, "AgentOnNode", "requested by the agent pod on node '" + node + "' for that node");
		}

		static Decision deny(String reason, String message) {
			return new Decision(false, reason, message);
		}

	}

}
