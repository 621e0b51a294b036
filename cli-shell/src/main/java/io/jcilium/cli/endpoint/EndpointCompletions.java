package io.jcilium.cli.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.jcilium.cli.CommandFailedException;
import io.jcilium.cli.services.ServiceAddresses;
import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;
import org.springframework.shell.core.command.completion.CompositeCompletionProvider;
import org.springframework.shell.core.command.completion.DefaultCompletionProvider;

/**
 * Tab completion from the agent's endpoints, asked at each Tab (bounded, so the prompt
 * never hangs; an agent that does not answer completes nothing): endpoint ids for
 * {@code endpoint get} and {@code bpf policy get}, {@code namespace:pod} for the live
 * {@code policy trace}, and namespaces and {@code namespace/pod} for the pod filters of
 * {@code hubble observe}. Commands name these by bean name in {@code completionProvider}.
 */
@Configuration(proxyBeanMethods = false)
public class EndpointCompletions {

	/** Completes the endpoint id argument. */
	public static final String ENDPOINT_IDS = "endpointIdCompletion";

	/** Completes pod and namespace option values. */
	public static final String PODS = "podCompletion";

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	@Bean(ENDPOINT_IDS)
	CompletionProvider endpointIdCompletion(ServiceAddresses addresses) {
		return new CompositeCompletionProvider(new DefaultCompletionProvider(), (context) -> {
			if (context.getCommandOption() != null) {
				return List.of();
			}
			List<CompletionProposal> proposals = new ArrayList<>();
			for (JsonNode endpoint : endpoints(addresses)) {
				proposals
					.add(new CompletionProposal(endpoint.path("endpointId").asString()).description(pod(endpoint)));
			}
			return proposals;
		});
	}

	@Bean(PODS)
	CompletionProvider podCompletion(ServiceAddresses addresses) {
		return new CompositeCompletionProvider(new DefaultCompletionProvider(), (context) -> pods(context, addresses));
	}

	static List<CompletionProposal> pods(CompletionContext context, ServiceAddresses addresses) {
		CommandOption option = context.getCommandOption();
		if (option == null || option.longName() == null) {
			return List.of();
		}
		String separator = switch (option.longName()) {
			case "src-k8s-pod", "dst-k8s-pod" -> ":";
			case "pod", "from-pod", "to-pod" -> "/";
			case "namespace" -> "";
			default -> null;
		};
		if (separator == null) {
			return List.of();
		}
		Set<String> values = new TreeSet<>();
		for (JsonNode endpoint : endpoints(addresses)) {
			String namespace = text(endpoint, "podNamespace");
			String name = text(endpoint, "podName");
			if (!namespace.isEmpty() && !name.isEmpty()) {
				values.add(separator.isEmpty() ? namespace : namespace + separator + name);
			}
		}
		return values.stream().map(CompletionProposal::new).toList();
	}

	/**
	 * {@code namespace/pod} of an endpoint of the agent's list (its fields
	 * {@code podNamespace} and {@code podName}), empty when the agent knows no pod.
	 */
	static String pod(JsonNode endpoint) {
		String namespace = text(endpoint, "podNamespace");
		String name = text(endpoint, "podName");
		return (namespace.isEmpty() || name.isEmpty()) ? "" : namespace + "/" + name;
	}

	// The agent writes null for a pod it does not know.
	private static String text(JsonNode endpoint, String field) {
		JsonNode value = endpoint.path(field);
		return value.isString() ? value.asString() : "";
	}

	private static Iterable<JsonNode> endpoints(ServiceAddresses addresses) {
		try {
			return AgentHttp.of(addresses).withTimeout(TIMEOUT).get("actuator/endpointpolicy");
		}
		catch (CommandFailedException | IllegalArgumentException ex) {
			return List.of();
		}
	}

}
