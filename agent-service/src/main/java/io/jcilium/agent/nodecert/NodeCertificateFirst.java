package io.jcilium.agent.nodecert;

import java.security.cert.X509Certificate;

import io.jcilium.api.tls.node.NodeCertificateBootstrap;
import io.jcilium.api.tls.node.NodeCertificateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.core.Ordered;

/**
 * Puts the node's certificate on disk before Spring Boot reads the {@code grpc} bundle
 * from there: registrars run in order when the bundle registry is made, and this one runs
 * first. It registers nothing itself; the properties' bundle reads the files.
 */
final class NodeCertificateFirst implements SslBundleRegistrar, Ordered {

	private static final Logger log = LoggerFactory.getLogger(NodeCertificateFirst.class);

	private final NodeCertificateBootstrap bootstrap;

	NodeCertificateFirst(NodeCertificateBootstrap bootstrap) {
		this.bootstrap = bootstrap;
	}

	@Override
	public void registerBundles(SslBundleRegistry registry) {
		try {
			X509Certificate certificate = this.bootstrap.ensure();
			log.info("Node certificate {} (serial {}) valid until {}, renewal due {}",
					certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber().toString(16),
					certificate.getNotAfter().toInstant(), this.bootstrap.renewalTime());
		}
		catch (NodeCertificateException ex) {
			throw new IllegalStateException("no node certificate: " + ex.getMessage(), ex);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
