package io.jcilium.operator.crd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the CRDs this build ships (generated into the {@code api} jar) when they are
 * missing or older, as upstream's operator does on start.
 * <p>
 * "Older" is judged by upstream's label {@value #SCHEMA_VERSION_LABEL}: a CRD without it
 * or with a lower version is replaced; one with the same or a higher version is left
 * alone (a higher one belongs to a newer operator, say mid rolling upgrade). Comparing
 * specs instead would rewrite every CRD on each pass, since the API server adds defaults
 * to what it stores.
 */
public final class CrdRegistrar {

	/** Upstream's label carrying a CRD's schema version. */
	public static final String SCHEMA_VERSION_LABEL = "io.cilium.k8s.crd.schema.version";

	private static final Logger logger = LoggerFactory.getLogger(CrdRegistrar.class);

	private final KubernetesClient client;

	private final List<CustomResourceDefinition> bundled;

	private final String schemaVersion;

	/**
	 * Create a registrar.
	 * @param client the Kubernetes client
	 * @param bundled the CRDs to register
	 * @param schemaVersion this build's schema version, e.g. {@code 1.0.0}
	 */
	public CrdRegistrar(KubernetesClient client, List<CustomResourceDefinition> bundled, String schemaVersion) {
		this.client = client;
		this.bundled = List.copyOf(bundled);
		this.schemaVersion = schemaVersion;
	}

	/**
	 * Read CRD manifests.
	 * @param client for its deserializer
	 * @param streams one YAML document each
	 * @return the CRDs
	 */
	public static List<CustomResourceDefinition> read(KubernetesClient client, List<InputStream> streams) {
		List<CustomResourceDefinition> crds = new ArrayList<>();
		for (InputStream stream : streams) {
			try (stream) {
				crds.add(client.getKubernetesSerialization().unmarshal(stream, CustomResourceDefinition.class));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot read a bundled CRD", ex);
			}
		}
		return crds;
	}

	/**
	 * Create or update every bundled CRD that is missing or older.
	 * @return the names of the CRDs written
	 */
	public List<String> register() {
		List<String> written = new ArrayList<>();
		for (CustomResourceDefinition crd : this.bundled) {
			String name = crd.getMetadata().getName();
			CustomResourceDefinition desired = labelled(crd);
			CustomResourceDefinition existing = this.client.apiextensions()
				.v1()
				.customResourceDefinitions()
				.withName(name)
				.get();
			try {
				if (existing == null) {
					this.client.apiextensions().v1().customResourceDefinitions().resource(desired).create();
					logger.info("Registered CRD {} (schema {})", name, this.schemaVersion);
					written.add(name);
				}
				else if (isOlder(existing)) {
					desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
					this.client.apiextensions().v1().customResourceDefinitions().resource(desired).update();
					logger.info("Updated CRD {} from schema {} to {}", name, version(existing), this.schemaVersion);
					written.add(name);
				}
			}
			catch (KubernetesClientException ex) {
				if (ex.getCode() != 409) {
					throw ex;
				}
				// Another replica wrote it at the same moment; the next pass re-checks.
				logger.info("CRD {} was written concurrently by another replica", name);
			}
		}
		return written;
	}

	private boolean isOlder(CustomResourceDefinition existing) {
		return compareVersions(version(existing), this.schemaVersion) < 0;
	}

	private CustomResourceDefinition labelled(CustomResourceDefinition crd) {
		CustomResourceDefinition copy = this.client.getKubernetesSerialization().clone(crd);
		Map<String, String> labels = new LinkedHashMap<>();
		if (copy.getMetadata().getLabels() != null) {
			labels.putAll(copy.getMetadata().getLabels());
		}
		labels.put(SCHEMA_VERSION_LABEL, this.schemaVersion);
		copy.getMetadata().setLabels(labels);
		return copy;
	}

	private static String version(CustomResourceDefinition crd) {
		Map<String, String> labels = crd.getMetadata().getLabels();
		return (labels != null) ? labels.get(SCHEMA_VERSION_LABEL) : null;
	}

	/**
	 * Compare dotted versions numerically ({@code 1.10.0 > 1.9.3}); a missing or
	 * unreadable version is older than any other.
	 * @param left a version or {@code null}
	 * @param right a version or {@code null}
	 * @return negative, zero or positive
	 */
	static int compareVersions(String left, String right) {
		long[] a = parse(left);
		long[] b = parse(right);
		if (a == null || b == null) {
			return (a == null) ? ((b == null) ? 0 : -1) : 1;
		}
		for (int i = 0; i < Math.max(a.length, b.length); i++) {
			long x = (i < a.length) ? a[i] : 0;
			long y = (i < b.length) ? b[i] : 0;
			if (x != y) {
				return Long.compare(x, y);
			}
		}
		return 0;
	}

	private static long[] parse(String version) {
		if (version == null || !version.matches("\\d+(\\.\\d+)*")) {
			return null;
		}
		String[] parts = version.split("\\.");
		long[] numbers = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			numbers[i] = Long.parseLong(parts[i]);
		}
		return numbers;
	}

}
