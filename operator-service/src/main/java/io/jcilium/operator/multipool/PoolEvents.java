package io.jcilium.operator.multipool;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warning events on the object at fault, as upstream's operator reports a pool it cannot
 * use: {@code kubectl describe ciliumpodippool <name>} shows why. The same message is
 * recorded once, not every pass. Events of cluster-scoped objects go to the
 * {@code default} namespace, as Kubernetes' own recorder does.
 */
final class PoolEvents {

	static final String COMPONENT = "jcilium-operator";

	private static final Logger logger = LoggerFactory.getLogger(PoolEvents.class);

	private final KubernetesClient client;

	private final Map<String, String> recorded = new ConcurrentHashMap<>();

	PoolEvents(KubernetesClient client) {
		this.client = client;
	}

	/** Records a Warning event unless the object's last one said the same. */
	void warn(HasMetadata object, String reason, String message) {
		String key = object.getKind() + "/" + object.getMetadata().getName();
		if (Objects.equals(this.recorded.put(key, message), message)) {
			return;
		}
		String now = Instant.now().toString();
		String namespace = (object.getMetadata().getNamespace() != null) ? object.getMetadata().getNamespace()
				: "default";
		try {
			this.client.v1()
				.events()
				.inNamespace(namespace)
				.resource(new EventBuilder().withNewMetadata()
					.withName(object.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
					.withNamespace(namespace)
					.endMetadata()
					.withNewInvolvedObject()
					.withApiVersion(object.getApiVersion())
					.withKind(object.getKind())
					.withName(object.getMetadata().getName())
					.withUid(object.getMetadata().getUid())
					.endInvolvedObject()
					.withType("Warning")
					.withReason(reason)
					.withMessage(message)
					.withCount(1)
					.withFirstTimestamp(now)
					.withLastTimestamp(now)
					.withNewSource()
					.withComponent(COMPONENT)
					.endSource()
					.withReportingComponent(COMPONENT)
					.build())
				.create();
		}
		catch (KubernetesClientException ex) {
			// The event is a courtesy: the log line below carries the same message.
			this.recorded.remove(key);
			logger.warn("Could not record event {} on {}: {}", reason, key, ex.getMessage());
		}
	}

	/** Forgets the object's last message: the problem was fixed. */
	void clear(HasMetadata object) {
		this.recorded.remove(object.getKind() + "/" + object.getMetadata().getName());
	}

}
