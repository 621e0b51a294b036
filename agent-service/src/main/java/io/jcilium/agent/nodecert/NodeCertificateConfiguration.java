package io.jcilium.agent.nodecert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.agent.k8s.NodeProperties;
import io.jcilium.api.tls.node.NodeCertificateBootstrap;
import io.jcilium.api.tls.node.NodeCertificateException;
import io.jcilium.api.tls.node.NodeCertificateFiles;
import io.jcilium.api.tls.node.NodeCertificateRequester;
import io.jcilium.api.tls.node.SubjectAlternativeNames;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.lifecycle.JobLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the node certificate: obtained (or reused) before the {@code grpc} SSL bundle is
 * read, and renewed by a job at two thirds of its validity; the bundle's
 * {@code reload-on-update} then moves the gRPC server and channels to it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "jcilium.agent.node-certificate.enabled")
class NodeCertificateConfiguration {

	static final String JOB = "node-certificate-renewal";

	private static final Logger log = LoggerFactory.getLogger(NodeCertificateConfiguration.class);

	@Bean
	NodeCertificateBootstrap nodeCertificateBootstrap(KubernetesClient client, NodeProperties node,
			NodeCertificateProperties properties) {
		return new NodeCertificateBootstrap(new NodeCertificateFiles(properties.directory()),
				new NodeCertificateRequester(client, properties.poll()), node.nodeName(),
				() -> SubjectAlternativeNames.forNode(node.nodeName(), node.clusterName(),
						internalIps(client, node.nodeName()), properties.commonDnsNames(),
						properties.commonIpAddresses()),
				properties.signingTimeout(), Clock.systemUTC());
	}

	/** Runs first of the registrars, so the files exist when the bundle reads them. */
	@Bean
	SslBundleRegistrar nodeCertificateFirst(NodeCertificateBootstrap bootstrap) {
		return new NodeCertificateFirst(bootstrap);
	}

	@Bean
	JobLifecycle nodeCertificateRenewal(Jobs agentJobs, NodeCertificateBootstrap bootstrap,
			NodeCertificateProperties properties) {
		return new JobLifecycle(agentJobs.periodic(JOB, () -> untilRenewal(bootstrap),
				Backoff.exponential(properties.retry(), properties.retry().multipliedBy(10)), () -> {
					if (!Instant.now().isBefore(bootstrap.renewalTime())) {
						log.info("Node certificate due for renewal: asking for a new one");
						bootstrap.renew();
					}
				}));
	}

	private static Duration untilRenewal(NodeCertificateBootstrap bootstrap) {
		Duration left = Duration.between(Instant.now(), bootstrap.renewalTime());
		return left.compareTo(Duration.ofSeconds(1)) > 0 ? left : Duration.ofSeconds(1);
	}

	private static List<String> internalIps(KubernetesClient client, String nodeName) {
		Node node = client.nodes().withName(nodeName).get();
		if (node == null) {
			throw new NodeCertificateException("node '" + nodeName + "' does not exist: its certificate names its "
					+ "InternalIPs, read from the Node object");
		}
		List<NodeAddress> addresses = (node.getStatus() != null && node.getStatus().getAddresses() != null)
				? node.getStatus().getAddresses() : List.of();
		return addresses.stream()
			.filter((address) -> "InternalIP".equals(address.getType()))
			.map(NodeAddress::getAddress)
			.toList();
	}

}
