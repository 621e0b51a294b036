package io.jcilium.agent.config;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/**
 * {@code GET /actuator/config}: the agent's options, as upstream's
 * {@code cilium-dbg config} shows them: read-write ones by upstream's names
 * ({@code Debug}), read-only ones by the property that sets them
 * ({@code jcilium.agent.routing.mode}). {@code POST} with {@code {"option": "Debug",
 * "value": "Enabled"}} changes a read-write option at once; anything else is refused,
 * naming the options that can change.
 */
@WebEndpoint(id = "config")
public class AgentConfigEndpoint {

	/** The logger {@code Debug} turns to DEBUG: all of the agent's own code. */
	static final String AGENT_LOGGER = "io.jcilium";

	private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|private-key).*");

	private final Map<String, Object> readOnly;

	private final LoggingSystem logging;

	/**
	 * The endpoint.
	 * @param properties the agent's configuration properties beans (records), each with
	 * its prefix (two beans may share one)
	 * @param logging the logging system, for {@code Debug}
	 */
	public AgentConfigEndpoint(List<Map.Entry<String, Object>> properties, LoggingSystem logging) {
		Map<String, Object> flat = new TreeMap<>();
		properties.forEach((bean) -> flatten(bean.getKey(), bean.getValue(), flat));
		this.readOnly = flat;
		this.logging = logging;
	}

	@ReadOperation
	public Map<String, Object> config() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("readWrite", Map.of("Debug", debug() ? "Enabled" : "Disabled"));
		body.put("readOnly", this.readOnly);
		return body;
	}

	@WriteOperation
	public WebEndpointResponse<Object> set(String option, String value) {
		if (!"Debug".equalsIgnoreCase(option)) {
			return refuse("option '" + option + "' cannot change while the agent runs; the one that can: Debug"
					+ (this.readOnly.containsKey(option) ? " (" + option + " is read-only: set it at start)" : ""));
		}
		Boolean enable = switch (value.strip().toLowerCase(Locale.ROOT)) {
			case "enabled", "enable", "true", "on" -> true;
			case "disabled", "disable", "false", "off" -> false;
			default -> null;
		};
		if (enable == null) {
			return refuse("Debug takes Enabled or Disabled, not '" + value + "'");
		}
		this.logging.setLogLevel(AGENT_LOGGER, enable ? LogLevel.DEBUG : null);
		return new WebEndpointResponse<>(config(), WebEndpointResponse.STATUS_OK);
	}

	private boolean debug() {
		LoggerConfiguration configuration = this.logging.getLoggerConfiguration(AGENT_LOGGER);
		LogLevel level = (configuration != null) ? configuration.getEffectiveLevel() : null;
		return level != null && level.ordinal() <= LogLevel.DEBUG.ordinal();
	}

	private static WebEndpointResponse<Object> refuse(String message) {
		return new WebEndpointResponse<>(Map.of("message", message), WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	// A record's components as prefix.kebab-name, nested records flattened; a value whose
	// name says it is secret is masked.
	private static void flatten(String prefix, @Nullable Object value, Map<String, Object> into) {
		if (value != null && value.getClass().isRecord()) {
			for (RecordComponent component : value.getClass().getRecordComponents()) {
				Object field;
				try {
					field = component.getAccessor().invoke(value);
				}
				catch (ReflectiveOperationException ex) {
					field = "(unreadable: " + ex.getMessage() + ")";
				}
				flatten(prefix + "." + kebab(component.getName()), field, into);
			}
			return;
		}
		if (SECRET.matcher(prefix).matches()) {
			into.put(prefix, "******");
		}
		else if (value == null || value instanceof Number || value instanceof Boolean) {
			into.put(prefix, value);
		}
		else if (value instanceof Collection<?> collection) {
			into.put(prefix, collection.stream().map(String::valueOf).toList());
		}
		else {
			into.put(prefix, value.toString());
		}
	}

	private static String kebab(String name) {
		return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

}
