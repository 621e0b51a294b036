package io.jcilium.operator.nodecert;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.api.tls.node.NodeCertificates;
import io.jcilium.operator.k8s.SharedInformers;
import io.jcilium.operator.k8s.InformerController;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Approves and signs node certificate requests on the leader, level-triggered: each pass
 * looks at every pending {@value NodeCertificates#SIGNER_NAME} request, approves or
 * denies it ({@link NodeCertificateApprover}) through the {@code approval} subresource,
 * and signs approved ones without a certificate through the {@code status} subresource,
 * as kube-controller-manager's CSR signer does. Requests of other signers are never
 * touched.
 */
public final class NodeCertificateController extends InformerController<CertificateSigningRequest, Node> {

	private static final Log log = LogFactory.getLog(NodeCertificateController.class);

	private NodeCertificateController(KubernetesClient client, SharedInformers informers, Duration resync, Pass pass) {
		super("node-certificates", "node-certificates", resync,
				new Watch<>("CertificateSigningRequest",
						SharedInformers
							.own(() -> client.certificates().v1().certificateSigningRequests().runnableInformer(0)),
						Trigger.ANY_CHANGE),
				new Watch<>("Node", informers.nodes(), Trigger.NONE), pass::run);
	}

	/**
	 * Create the controller; nothing runs until {@link #startLeading()}.
	 * @param client the operator's client
	 * @param informers the operator's shared informers
	 * @param properties the settings
	 * @param clock the clock certificates are dated by
	 * @return the controller
	 */
	public static NodeCertificateController create(KubernetesClient client, SharedInformers informers,
			NodeCertificateProperties properties, Clock clock) {
		NodeCertificateApprover approver = new NodeCertificateApprover(properties.agentNamespace(),
				properties.agentServiceAccount(), properties.clusterName(), properties.commonDnsNames(),
				properties.commonIpAddresses());
		Pass pass = new Pass(client, properties, approver, clock);
		return new NodeCertificateController(client, informers, Duration.ofSeconds(properties.resyncSeconds()), pass);
	}

	private record Pass(KubernetesClient client, NodeCertificateProperties properties, NodeCertificateApprover approver,
			Clock clock) {

		void run(List<CertificateSigningRequest> requests, List<Node> nodes) {
			Map<String, Node> nodesByName = nodes.stream()
				.collect(Collectors.toMap((node) -> node.getMetadata().getName(), Function.identity(), (a, b) -> a));
			RuntimeException failure = null;
			for (CertificateSigningRequest request : requests) {
				if (request.getSpec() == null || !NodeCertificates.SIGNER_NAME.equals(request.getSpec().getSignerName())
						|| isTrue(request, "Denied") || isTrue(request, "Failed")) {
					continue;
				}
				try {
					if (!isTrue(request, "Approved")) {
						review(request, nodesByName);
					}
					else if (!hasCertificate(request)) {
						sign(request);
					}
				}
				catch (RuntimeException ex) {
					// The other requests still get their turn; the pass is retried.
					log.warn("CertificateSigningRequest " + request.getMetadata().getName() + ": " + ex.getMessage());
					failure = (failure != null) ? failure : ex;
				}
			}
			if (failure != null) {
				throw failure;
			}
		}

		private void review(CertificateSigningRequest request, Map<String, Node> nodes) {
			String name = request.getMetadata().getName();
			NodeCertificateApprover.Decision decision = this.approver.review(request.getSpec(),
					(pod) -> this.client.pods().inNamespace(this.properties.agentNamespace()).withName(pod).get(),
					nodes::get);
			CertificateSigningRequestCondition condition = new CertificateSigningRequestConditionBuilder()
				.withType(decision.approved() ? "Approved" : "Denied")
				.withStatus("True")
				.withReason(decision.reason())
				.withMessage(decision.message())
				.withLastUpdateTime(Instant.now(this.clock).toString())
				.build();
			// The approval subresource: a real API server takes Approved/Denied only
			// there.
			if (decision.approved()) {
				this.client.certificates().v1().certificateSigningRequests().withName(name).approve(condition);
				log.info("CertificateSigningRequest " + name + " approved: " + decision.message());
				sign(this.client.certificates().v1().certificateSigningRequests().withName(name).get());
			}
			else {
				this.client.certificates().v1().certificateSigningRequests().withName(name).deny(condition);
				log.warn("CertificateSigningRequest " + name + " denied: " + decision.reason() + ": "
						+ decision.message());
			}
		}

		private void sign(CertificateSigningRequest request) {
			if (request == null || hasCertificate(request)) {
				return;
			}
			String name = request.getMetadata().getName();
			NodeCertificateRequest asked = NodeCertificateRequest.decode(
					new String(Base64.getDecoder().decode(request.getSpec().getRequest()), StandardCharsets.US_ASCII));
			String certificate = clusterCa().sign(asked, Instant.now(this.clock),
					Duration.ofHours(this.properties.validityHours()));
			request.getStatus()
				.setCertificate(Base64.getEncoder().encodeToString(certificate.getBytes(StandardCharsets.US_ASCII)));
			// The status subresource keeps the approval conditions as they are.
			this.client.certificates().v1().certificateSigningRequests().resource(request).updateStatus();
			log.info("CertificateSigningRequest " + name + " signed for " + asked.commonName() + ", valid "
					+ this.properties.validityHours() + " h");
		}

		private ClusterCa clusterCa() {
			Secret secret = this.client.secrets()
				.inNamespace(this.properties.caSecretNamespace())
				.withName(this.properties.caSecretName())
				.get();
			Map<String, String> data = (secret != null && secret.getData() != null) ? secret.getData() : Map.of();
			if (!data.containsKey("ca.crt") || !data.containsKey("ca.key")) {
				throw new IllegalStateException(
						"cannot sign node certificates: Secret " + this.properties.caSecretNamespace() + "/"
								+ this.properties.caSecretName() + " with ca.crt and ca.key is missing");
			}
			return ClusterCa.of(decode(data.get("ca.crt")), decode(data.get("ca.key")));
		}

		private static String decode(String base64) {
			return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
		}

		private static boolean hasCertificate(CertificateSigningRequest request) {
			return request.getStatus() != null && request.getStatus().getCertificate() != null
					&& !request.getStatus().getCertificate().isEmpty();
		}

		private static boolean isTrue(CertificateSigningRequest request, String type) {
			if (request.getStatus() == null || request.getStatus().getConditions() == null) {
				return false;
			}
			return request.getStatus()
				.getConditions()
				.stream()
				.anyMatch((condition) -> type.equals(condition.getType()) && !"False".equals(condition.getStatus()));
		}

	}

}
