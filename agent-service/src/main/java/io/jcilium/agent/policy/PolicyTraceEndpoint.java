package io.jcilium.agent.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import io.jcilium.agent.endpoint.PodMetadata;
import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.trace.DirectionDecision;
import io.jcilium.common.policy.trace.PortProtocol;
import io.jcilium.common.policy.trace.TraceResult;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code GET /actuator/policytrace?srcPod=ns:pod&dstPod=ns:pod&dport=80/TCP}: would a new
 * connection be allowed by the rules this agent enforces now, and which rules decide, as
 * upstream's {@code cilium-dbg policy trace --src-k8s-pod --dst-k8s-pod --dport}. A side
 * is a pod (its labels as its identity would carry them, read from the API server) or a
 * label set ({@code srcLabels=k8s:app=web,k8s:io.kubernetes.pod.namespace=shop}, or one
 * reserved label such as {@code reserved:world}).
 */
@WebEndpoint(id = "policytrace")
public class PolicyTraceEndpoint {

	private final AgentPolicy policy;

	private final BiFunction<String, String, Optional<PodMetadata>> pods;

	/**
	 * The endpoint.
	 * @param policy the rules in force
	 * @param pods a pod's metadata by namespace and name, empty if there is no such pod;
	 * throws {@link IllegalStateException} saying why when it cannot be read
	 */
	public PolicyTraceEndpoint(AgentPolicy policy, BiFunction<String, String, Optional<PodMetadata>> pods) {
		this.policy = policy;
		this.pods = pods;
	}

	@ReadOperation
	public WebEndpointResponse<Object> trace(@Nullable String srcPod, @Nullable String dstPod,
			@Nullable String srcLabels, @Nullable String dstLabels, @Nullable String dport) {
		Side from;
		Side to;
		PortProtocol port;
		try {
			from = side("src", srcPod, srcLabels);
			to = side("dst", dstPod, dstLabels);
			port = PortProtocol.parse((dport != null) ? dport : "");
		}
		catch (IllegalArgumentException ex) {
			return message(ex.getMessage(), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		catch (IllegalStateException ex) {
			// The API server could not be asked: nothing is wrong with the request.
			return message(ex.getMessage(), WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
		if (from.missing() != null || to.missing() != null) {
			return message((from.missing() != null) ? from.missing() : to.missing(),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		TraceResult result = this.policy.trace(from.labels(), to.labels(), to.namedPorts(), port);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("from", texts(from.labels()));
		body.put("to", texts(to.labels()));
		body.put("port", port.port() + "/" + port.protocol().name());
		body.put("verdict", result.verdict().name());
		body.put("egress", decision(result.egress()));
		body.put("ingress", decision(result.ingress()));
		body.put("explanation", result.explain());
		return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
	}

	private Side side(String name, String pod, String labels) {
		boolean hasPod = pod != null && !pod.isBlank();
		boolean hasLabels = labels != null && !labels.isBlank();
		if (hasPod == hasLabels) {
			throw new IllegalArgumentException(
					"give the " + name + " side as either " + name + "Pod=namespace:pod or " + name + "Labels=LABELS");
		}
		if (hasLabels) {
			return new Side(Labels.parse(Arrays.stream(labels.split(",")).map(String::strip).toList()), List.of(),
					null);
		}
		String[] parts = pod.strip().split("[:/]", -1);
		if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
			throw new IllegalArgumentException(name + "Pod '" + pod + "' is not namespace:pod");
		}
		return this.pods.apply(parts[0], parts[1])
			.map((metadata) -> new Side(metadata.securityLabels(), metadata.namedPorts(), null))
			.orElseGet(() -> new Side(Labels.empty(), List.of(), "no pod " + parts[0] + "/" + parts[1]));
	}

	private static Map<String, Object> decision(DirectionDecision decision) {
		if (decision == null) {
			return null;
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("enforced", decision.enforced());
		body.put("verdict", decision.verdict().name());
		body.put("reason", decision.reason());
		body.put("rules", decision.rules());
		return body;
	}

	private static List<String> texts(Labels labels) {
		List<String> texts = new ArrayList<>();
		for (Label label : labels.toList()) {
			texts.add(label.toString());
		}
		texts.sort(null);
		return texts;
	}

	private static WebEndpointResponse<Object> message(String message, int status) {
		return new WebEndpointResponse<>(Map.of("message", message), status);
	}

	/** One side of the trace; {@code missing} says why it could not be resolved. */
	private record Side(Labels labels, List<NamedPort> namedPorts, String missing) {

	}

}
