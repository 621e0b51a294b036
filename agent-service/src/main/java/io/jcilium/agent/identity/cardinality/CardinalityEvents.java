package io.jcilium.agent.identity.cardinality;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.CRC32;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jcilium.agent.identity.cardinality.IdentityCardinality.Finding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a finding as a Warning Event on its namespace (reason {@value #REASON}), so
 * {@code kubectl get events -n <ns>} and {@code kubectl describe namespace} show it.
 * Every agent sees the same identities and finds the same thing; the Event's name is
 * derived from the finding, so the first agent creates it and the others find it there
 * (get, then create; a create that loses a race is refused and ignored).
 */
final class CardinalityEvents implements Consumer<Finding> {

	static final String REASON = "IdentityLabelCardinality";

	private static final Logger logger = LoggerFactory.getLogger(CardinalityEvents.class);

	private final KubernetesClient client;

	private final String node;

	CardinalityEvents(KubernetesClient client, String node) {
		this.client = client;
		this.node = node;
	}

	@Override
	public void accept(Finding finding) {
		String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
		Event event = new EventBuilder().withNewMetadata()
			.withName(name(finding))
			.withNamespace(finding.namespace())
			.endMetadata()
			.withType("Warning")
			.withReason(REASON)
			.withMessage("label " + finding.label() + " has " + finding.values() + " distinct values among "
					+ finding.identities() + " identities of this namespace, each value an identity of its own; "
					+ "leave it out of identities with the label pattern " + finding.exclusion())
			.withNewInvolvedObject()
			.withApiVersion("v1")
			.withKind("Namespace")
			.withName(finding.namespace())
			.endInvolvedObject()
			.withNewSource()
			.withComponent("jcilium-agent")
			.withHost(this.node)
			.endSource()
			.withFirstTimestamp(now)
			.withLastTimestamp(now)
			.withCount(1)
			.build();
		try {
			// another agent may have recorded it already: then it stays as it is (and a
			// create racing with it is refused as AlreadyExists)
			if (this.client.v1().events().inNamespace(finding.namespace()).withName(name(finding)).get() == null) {
				this.client.v1().events().inNamespace(finding.namespace()).resource(event).create();
			}
		}
		catch (KubernetesClientException ex) {
			if (ex.getCode() != 409) {
				logger.warn("could not record the Event for label {} in namespace {}: {}", finding.label(),
						finding.namespace(), ex.getMessage());
			}
		}
	}

	/** A valid Event name, the same on every agent for the same finding. */
	static String name(Finding finding) {
		CRC32 crc = new CRC32();
		crc.update(finding.label().getBytes(StandardCharsets.UTF_8));
		String readable = finding.label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-");
		if (readable.length() > 200) {
			readable = readable.substring(0, 200);
		}
		return "jcilium-identity-cardinality." + readable.replaceAll("^[.-]+|[.-]+$", "") + "."
				+ HexFormat.of().toHexDigits((int) crc.getValue());
	}

}
