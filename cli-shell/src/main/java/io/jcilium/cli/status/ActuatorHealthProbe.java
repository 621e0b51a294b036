package io.jcilium.cli.status;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.jcilium.cli.services.PlainHttp;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks a service's {@code /actuator/health} how it is. A DOWN service answers 503 with
 * the same JSON as a healthy one, so the body decides, not the status code; the details
 * name each component that is not UP.
 */
class ActuatorHealthProbe {

	private static final int MAX_ERROR_LENGTH = 80;

	/** One client per scheme: see {@link PlainHttp}. */
	private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

	private final Duration timeout;

	ActuatorHealthProbe(Duration timeout) {
		this.timeout = timeout;
	}

	HealthCheck check(String service, URI baseUrl) {
		String address = baseUrl.toString();
		URI healthUri = URI.create(address.endsWith("/") ? address + "actuator/health" : address + "/actuator/health");
		HttpRequest request = HttpRequest.newBuilder(healthUri)
			.timeout(this.timeout)
			.header("Accept", "application/json")
			.build();
		HttpResponse<String> response;
		try {
			HttpClient client = this.clients.computeIfAbsent(String.valueOf(healthUri.getScheme()),
					(scheme) -> PlainHttp.builderFor(healthUri).connectTimeout(this.timeout).build());
			response = client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return HealthCheck.unhealthy(service, address, HealthCheck.UNREACHABLE,
					Failures.unreachable(ex, this.timeout));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return HealthCheck.unhealthy(service, address, HealthCheck.UNREACHABLE, "unreachable: interrupted");
		}
		return fromResponse(service, address, response.statusCode(), response.body());
	}

	/**
	 * The agent's status while one of its background jobs fails (between DOWN and UP,
	 * answered with HTTP 200).
	 */
	static final String DEGRADED = "DEGRADED";

	static HealthCheck fromResponse(String service, String address, int httpStatus, String body) {
		JsonNode health;
		try {
			health = JsonMapper.shared().readTree(body);
		}
		catch (JacksonException ex) {
			health = null;
		}
		if (health == null || !health.path("status").isString()) {
			return HealthCheck.unhealthy(service, address, HealthCheck.ERROR,
					"HTTP " + httpStatus + " without an actuator health report");
		}
		String status = health.path("status").asString();
		List<List<String>> components = HealthTree.rows(health.path("components"));
		if ("UP".equals(status)) {
			return HealthCheck.healthy(service, address, status).withComponents(components);
		}
		List<String> problems = new ArrayList<>();
		collectProblems("", health.path("components"), problems);
		if (DEGRADED.equals(status)) {
			// A background job failing and retrying: the service works and its probes
			// pass,
			// so the check passes too, naming what is degraded.
			return HealthCheck.degraded(service, address, status, String.join(", ", problems))
				.withComponents(components);
		}
		return HealthCheck.unhealthy(service, address, status, String.join(", ", problems)).withComponents(components);
	}

	/**
	 * Walks the component tree (composites nest under {@code components}) and names each
	 * leaf that is not UP, with its error when the service shows one.
	 */
	private static void collectProblems(String prefix, JsonNode components, List<String> problems) {
		for (Map.Entry<String, JsonNode> component : components.properties()) {
			String name = prefix + component.getKey();
			JsonNode value = component.getValue();
			if (value.has("components")) {
				collectProblems(name + "/", value.path("components"), problems);
				continue;
			}
			String status = value.path("status").asString("UNKNOWN");
			// UNKNOWN is a component that has nothing to say (e.g. a feature switched
			// off): it never makes a service unhealthy, so it is not a reason either.
			if (!"UP".equals(status) && !"UNKNOWN".equals(status)) {
				String why = reason(value.path("details"));
				problems.add(name + " " + status + (why.isEmpty() ? "" : " (" + why + ")"));
			}
		}
	}

	/**
	 * Why a component is not UP: our own indicators say it in {@code reason}; Spring's
	 * built-in ones (Redis, disk space) show the exception in {@code error}.
	 */
	private static String reason(JsonNode details) {
		JsonNode failing = details.path("failing");
		if (failing.isArray() && !failing.isEmpty()) {
			// The jobs indicator: each failing job with its last error.
			List<String> jobs = new ArrayList<>();
			for (JsonNode job : failing) {
				String lastError = details.path(job.asString()).path("lastError").asString("");
				jobs.add(job.asString() + (lastError.isEmpty() ? "" : ": " + lastError));
			}
			return shorten("failing " + String.join("; ", jobs));
		}
		String reason = details.path("reason").asString("");
		if (!reason.isEmpty()) {
			return shorten(reason);
		}
		String error = details.path("error").asString("");
		return error.isEmpty() ? "" : shortError(error);
	}

	/**
	 * Actuator shows errors as {@code fully.qualified.Exception: message}; the message is
	 * what a user needs.
	 */
	private static String shortError(String error) {
		return shorten(Failures.message(error));
	}

	private static String shorten(String message) {
		return (message.length() > MAX_ERROR_LENGTH) ? message.substring(0, MAX_ERROR_LENGTH - 3) + "..." : message;
	}

}
