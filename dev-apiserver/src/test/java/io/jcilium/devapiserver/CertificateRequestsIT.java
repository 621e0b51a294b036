package io.jcilium.devapiserver;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fabric8 client with a bound ServiceAccount token creates a CertificateSigningRequest
 * and another approves it, as on a real API server: the request names who asked (what the
 * client wrote there is replaced) and the approval lands in the status.
 */
class CertificateRequestsIT {

	private DevApiServer server;

	private KubernetesClient agent;

	private KubernetesClient admin;

	@BeforeEach
	void start() {
		this.server = DevApiServer.start(InetAddress.getLoopbackAddress(), 0);
		String url = this.server.url().toString();
		this.agent = new KubernetesClientBuilder()
			.withConfig(new ConfigBuilder().withMasterUrl(url).withOauthToken(boundToken()).build())
			.build();
		this.admin = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(url).build()).build();
	}

	@AfterEach
	void stop() {
		for (KubernetesClient client : new KubernetesClient[] { this.agent, this.admin }) {
			if (client != null) {
				client.close();
			}
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void theRequestNamesTheTokensAccountPodAndNodeAndAnApprovalLandsInItsStatus() {
		CertificateSigningRequest created = this.agent.certificates()
			.v1()
			.certificateSigningRequests()
			.resource(request("node-1-request", "system:admin"))
			.create();

		assertThat(created.getSpec().getUsername()).isEqualTo("system:serviceaccount:kube-system:jcilium-agent");
		assertThat(created.getSpec().getUid()).isEqualTo("sa-uid");
		assertThat(created.getSpec().getGroups()).containsExactly("system:serviceaccounts",
				"system:serviceaccounts:kube-system", "system:authenticated");
		assertThat(created.getSpec().getExtra()).containsExactlyInAnyOrderEntriesOf(Map.of(
				"authentication.kubernetes.io/pod-name", List.of("agent-x1"), "authentication.kubernetes.io/pod-uid",
				List.of("pod-uid"), "authentication.kubernetes.io/node-name", List.of("node-1"),
				"authentication.kubernetes.io/credential-id", List.of("JTI=token-1")));

		this.admin.certificates()
			.v1()
			.certificateSigningRequests()
			.withName("node-1-request")
			.approve(new CertificateSigningRequestConditionBuilder().withType("Approved")
				.withStatus("True")
				.withReason("AgentOnNode")
				.withMessage("approved")
				.build());

		CertificateSigningRequest approved = this.admin.certificates()
			.v1()
			.certificateSigningRequests()
			.withName("node-1-request")
			.get();
		assertThat(approved.getStatus().getConditions()).singleElement().satisfies((condition) -> {
			assertThat(condition.getType()).isEqualTo("Approved");
			assertThat(condition.getReason()).isEqualTo("AgentOnNode");
		});
		assertThat(approved.getSpec().getUsername()).isEqualTo("system:serviceaccount:kube-system:jcilium-agent");
	}

	@Test
	void withoutATokenTheRequesterIsAnonymous() {
		CertificateSigningRequest created = this.admin.certificates()
			.v1()
			.certificateSigningRequests()
			.resource(request("anonymous-request", "system:serviceaccount:kube-system:jcilium-agent"))
			.create();

		assertThat(created.getSpec().getUsername()).isEqualTo("system:anonymous");
		assertThat(created.getSpec().getGroups()).containsExactly("system:unauthenticated");
		assertThat(created.getSpec().getExtra()).isNullOrEmpty();
	}

	private static CertificateSigningRequest request(String name, String claimedUser) {
		return new CertificateSigningRequestBuilder().withNewMetadata()
			.withName(name)
			.endMetadata()
			.withNewSpec()
			.withSignerName("jcilium.io/node-client")
			.withRequest(Base64.getEncoder().encodeToString("not checked here".getBytes(StandardCharsets.US_ASCII)))
			.withUsages("client auth")
			.withUsername(claimedUser)
			.endSpec()
			.build();
	}

	/** A token shaped as a bound ServiceAccount token (the signature is not checked). */
	private static String boundToken() {
		String claims = """
				{"iss":"https://kubernetes.default.svc.cluster.local","sub":"system:serviceaccount:kube-system:jcilium-agent",
				 "jti":"token-1","kubernetes.io":{"namespace":"kube-system",
				 "node":{"name":"node-1","uid":""},"pod":{"name":"agent-x1","uid":"pod-uid"},
				 "serviceaccount":{"name":"jcilium-agent","uid":"sa-uid"}}}""";
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		return encoder.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ encoder.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
	}

}
