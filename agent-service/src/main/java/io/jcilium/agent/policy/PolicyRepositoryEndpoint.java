package io.jcilium.agent.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

import io.jcilium.common.label.Label;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PeerRule;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.PolicySource;
import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The policy repository, as upstream's agent API serves it to
 * {@code cilium-dbg policy get} and {@code policy selectors}:
 * <ul>
 * <li>{@code GET /actuator/policy[?labels=k8s:io.cilium.k8s.policy.name=web,...]}: the
 * revision and the rules in force in the Cilium rule shape, only those carrying every
 * given label when labels are given;</li>
 * <li>{@code GET /actuator/policy/selectors}: every peer selector in use, the labels of
 * the rules using it, how many peer rules use it and the identities it selects now.</li>
 * </ul>
 */
@WebEndpoint(id = "policy")
public class PolicyRepositoryEndpoint {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final AgentPolicy policy;

	public PolicyRepositoryEndpoint(AgentPolicy policy) {
		this.policy = policy;
	}

	@ReadOperation
	public WebEndpointResponse<Object> rules(@Nullable String labels) {
		List<String> wanted;
		try {
			wanted = (labels == null || labels.isBlank()) ? List.of()
					: Arrays.stream(labels.split("[,\\s]+"))
						.filter((l) -> !l.isEmpty())
						.map(PolicyRepositoryEndpoint::label)
						.toList();
		}
		catch (IllegalArgumentException ex) {
			return message(ex.getMessage(), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		PolicyRepository repository = this.policy.repository();
		List<Map<String, Object>> rules = new ArrayList<>();
		for (PolicyRule rule : sorted(repository.rules())) {
			if (rule.source().labels().containsAll(wanted)) {
				rules.add(PolicyRuleJson.rule(rule));
			}
		}
		if (!wanted.isEmpty() && rules.isEmpty()) {
			return message("no rule in force carries the labels " + String.join(" ", wanted),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("revision", repository.revision());
		body.put("policy", rules);
		return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
	}

	@ReadOperation
	public WebEndpointResponse<Object> part(@Selector String part) {
		if (!"selectors".equals(part)) {
			return message("no policy part '" + part + "': the repository has /actuator/policy and "
					+ "/actuator/policy/selectors", WebEndpointResponse.STATUS_NOT_FOUND);
		}
		PolicyRepository repository = this.policy.repository();
		Map<Peer, List<PolicySource>> users = new LinkedHashMap<>();
		for (PolicyRule rule : sorted(repository.rules())) {
			for (PeerRule peerRule : rule.rules()) {
				if (peerRule.peers() != null) {
					peerRule.peers()
						.forEach((peer) -> users.computeIfAbsent(peer, (p) -> new ArrayList<>()).add(rule.source()));
				}
			}
		}
		List<Map<String, Object>> selectors = new ArrayList<>();
		repository.selections().forEach((peer, identities) -> selectors.add(selector(peer, identities, users)));
		selectors.sort(Comparator.comparing((row) -> (String) row.get("selector")));
		return new WebEndpointResponse<>(selectors, WebEndpointResponse.STATUS_OK);
	}

	private static Map<String, Object> selector(Peer peer, SortedSet<Long> identities,
			Map<Peer, List<PolicySource>> users) {
		List<PolicySource> sources = users.getOrDefault(peer, List.of());
		Set<PolicySource> distinct = new LinkedHashSet<>();
		for (PolicySource source : sources) {
			distinct.add(new PolicySource(source.kind(), source.namespace(), source.name(), 0, source.uid()));
		}
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("selector", text(peer));
		row.put("labels", distinct.stream().map(PolicyRuleJson::labels).toList());
		row.put("users", sources.size());
		row.put("identities", List.copyOf(identities));
		return row;
	}

	// An endpoint selector in the Kubernetes form; CIDR and entity peers as upstream's
	// selector cache names them (a cidr: or reserved: label).
	private static String text(Peer peer) {
		if (peer instanceof Peer.Endpoints endpoints) {
			try {
				return JSON.writeValueAsString(PolicyRuleJson.selector(endpoints.selector()));
			}
			catch (JsonProcessingException ex) {
				throw new IllegalStateException("cannot write selector " + peer + " as JSON", ex);
			}
		}
		return peer.toString();
	}

	private static List<PolicyRule> sorted(List<PolicyRule> rules) {
		List<PolicyRule> sorted = new ArrayList<>(rules);
		sorted.sort(Comparator.comparing(PolicyRule::source));
		return sorted;
	}

	private static String label(String text) {
		return Label.parse(text.strip()).toString();
	}

	private static WebEndpointResponse<Object> message(String message, int status) {
		return new WebEndpointResponse<>(Map.of("message", message), status);
	}

}
