package io.jcilium.api.tls.node;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import javax.security.auth.x500.X500Principal;

/**
 * Keeps a node's certificate on disk: reuses one that is still valid (so an agent's
 * restart does not depend on the operator), asks for a new one when there is none, and
 * renews at two thirds of the validity ({@link IssuedCertificate#renewalTime}).
 */
public final class NodeCertificateBootstrap {

	private final NodeCertificateFiles files;

	private final NodeCertificateRequester requester;

	private final String node;

	private final Supplier<SubjectAlternativeNames> names;

	private final Duration timeout;

	private final Clock clock;

	/**
	 * @param files where key and certificate live
	 * @param requester asks the certificates API
	 * @param node this node's name
	 * @param names the names to ask for (read when asking: the node's addresses may
	 * change)
	 * @param timeout how long to wait for the signer
	 * @param clock the clock validity is judged by
	 */
	public NodeCertificateBootstrap(NodeCertificateFiles files, NodeCertificateRequester requester, String node,
			Supplier<SubjectAlternativeNames> names, Duration timeout, Clock clock) {
		this.files = files;
		this.requester = requester;
		this.node = node;
		this.names = names;
		this.timeout = timeout;
		this.clock = clock;
	}

	/**
	 * A certificate for this node on disk: the one there if it is valid now and names
	 * this node, else a new one.
	 * @return the certificate in use
	 * @throws NodeCertificateException when a new one is needed and cannot be had
	 */
	public X509Certificate ensure() {
		Optional<X509Certificate> reusable = this.files.current().filter(this::usable);
		return reusable.orElseGet(this::renew);
	}

	/**
	 * Asks for a new certificate and writes it (with its new key) in place of the old.
	 * @return the new certificate
	 * @throws NodeCertificateException when it cannot be had; the old one stays
	 */
	public X509Certificate renew() {
		IssuedCertificate issued = this.requester.request(this.node, this.names.get(), this.timeout);
		this.files.write(issued);
		return issued.certificate();
	}

	/**
	 * When the certificate on disk is due for renewal.
	 * @return the instant, or now when there is none
	 */
	public Instant renewalTime() {
		return this.files.current().map(IssuedCertificate::renewalTime).orElseGet(this.clock::instant);
	}

	private boolean usable(X509Certificate certificate) {
		Instant now = this.clock.instant();
		X500Principal subject = new X500Principal("CN=" + NodeCertificates.commonName(this.node));
		return subject.equals(certificate.getSubjectX500Principal())
				&& !now.isBefore(certificate.getNotBefore().toInstant())
				&& now.isBefore(certificate.getNotAfter().toInstant());
	}

}
