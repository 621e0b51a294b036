package io.jcilium.agent.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import io.jcilium.agent.endpoint.EndpointStatus;
import io.jcilium.common.policy.engine.EndpointPolicy;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/endpointpolicy/{endpointId}}: the policy the agent computed for
 * one local endpoint, entry by entry as its pinned policy map holds them, with the rules
 * each is derived from ({@link EndpointPolicyView}). The console's {@code bpf policy get}
 * reads it. {@code GET /actuator/endpointpolicy}: every local endpoint with its
 * enforcement ({@link EndpointEnforcement}), which the console's {@code endpoint list}
 * reads.
 */
@WebEndpoint(id = "endpointpolicy")
public class EndpointPolicyEndpoint {

	private final Supplier<List<EndpointStatus>> endpoints;

	private final LongFunction<EndpointPolicy> policies;

	private final PolicyMapContents maps;

	/**
	 * The view.
	 * @param endpoints the local endpoints
	 * @param policies the computed policy of an identity, null if none
	 * @param maps the endpoints' policy maps in the datapath
	 * ({@link PolicyMapContents#NONE} without a datapath)
	 */
	public EndpointPolicyEndpoint(Supplier<List<EndpointStatus>> endpoints, LongFunction<EndpointPolicy> policies,
			PolicyMapContents maps) {
		this.endpoints = endpoints;
		this.policies = policies;
		this.maps = maps;
	}

	@ReadOperation
	public List<EndpointEnforcement> endpoints() {
		return this.endpoints.get().stream().sorted(Comparator.comparingInt(EndpointStatus::id)).map((status) -> {
			EndpointPolicy policy = (status.identity() > 0) ? this.policies.apply(status.identity()) : null;
			return EndpointEnforcement.of(status, policy);
		}).toList();
	}

	@ReadOperation
	public WebEndpointResponse<Object> policy(@Selector int endpointId) {
		Optional<EndpointStatus> endpoint = this.endpoints.get()
			.stream()
			.filter((status) -> status.id() == endpointId)
			.findFirst();
		if (endpoint.isEmpty()) {
			return notFound("no endpoint " + endpointId + " on this node; GET /v1/endpoint on the agent socket "
					+ "lists the endpoints");
		}
		EndpointStatus status = endpoint.get();
		EndpointPolicy policy = (status.identity() > 0) ? this.policies.apply(status.identity()) : null;
		String pod = status.podNamespace() + "/" + status.podName();
		List<PolicyMapContents.Stored> stored = this.maps.entries(endpointId);
		if (stored != null) {
			return new WebEndpointResponse<>(
					EndpointPolicyView.ofDatapath(endpointId, pod, status.identity(), policy, stored));
		}
		if (policy == null) {
			return notFound("endpoint " + endpointId + " has no policy computed yet (state " + status.state()
					+ ((status.stateReason() != null) ? ": " + status.stateReason() : "") + ")");
		}
		return new WebEndpointResponse<>(EndpointPolicyView.ofEngine(endpointId, pod, policy));
	}

	private static WebEndpointResponse<Object> notFound(String message) {
		return new WebEndpointResponse<>(Map.of("message", message), WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
