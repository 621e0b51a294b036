package io.jcilium.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jcilium.cli.services.ClientTls;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.services.ServiceAddresses.ServiceAddress;
import io.jcilium.cli.status.StatusProperties;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.convert.DurationStyle;

/**
 * The console's settings for a one-shot command, read without Spring Boot: the defaults
 * of {@code application.yaml} on the class path, overridden by leading
 * {@code --jcilium.services.<name>.url|grpc=...},
 * {@code --jcilium.tls.ca-certificate|certificate|private-key=...} and
 * {@code --jcilium.cli.status.timeout=...} arguments, bound to the same
 * {@link ServiceAddresses} and {@link StatusProperties} the context binds.
 * <p>
 * Spring Boot reads far more (environment variables, system properties, config files in
 * the working directory, profiles, relaxed names). Rather than copy those rules,
 * {@link #resolve} returns {@code null} as soon as anything of that kind could take part,
 * and the console starts its context as before: a one-shot command through here is
 * configured exactly as it would be there, or not run here at all.
 */
record OneShotSettings(ServiceAddresses addresses, StatusProperties status, Map<String, String> logLevels) {

	private static final Pattern SERVICE_PROPERTY = Pattern.compile("jcilium\\.services\\.([a-z0-9]+)\\.(url|grpc)");

	private static final String TIMEOUT_PROPERTY = "jcilium.cli.status.timeout";

	private static final Pattern TLS_PROPERTY = Pattern
		.compile("jcilium\\.tls\\.(ca-certificate|certificate|private-key|enabled)");

	/**
	 * The environment variables of {@code jcilium.tls} read here, by property: the names
	 * Spring Boot binds to each, the canonical one (dashes dropped) and the legacy one
	 * (dashes as underscores), as the chart and the scripts spell them. Any other
	 * spelling, or two spellings of one property, is left to Spring Boot.
	 */
	private static final Map<String, List<String>> TLS_VARIABLES = Map.of("jcilium.tls.enabled",
			List.of("JCILIUM_TLS_ENABLED"), "jcilium.tls.ca-certificate",
			List.of("JCILIUM_TLS_CACERTIFICATE", "JCILIUM_TLS_CA_CERTIFICATE"), "jcilium.tls.certificate",
			List.of("JCILIUM_TLS_CERTIFICATE"), "jcilium.tls.private-key",
			List.of("JCILIUM_TLS_PRIVATEKEY", "JCILIUM_TLS_PRIVATE_KEY"));

	/**
	 * The files Spring Boot reads from {@code ./}, {@code ./config/} and
	 * {@code ./config/}{@code *}{@code /} with no profile active.
	 */
	private static final List<String> CONFIG_FILES = List.of("application.properties", "application.xml",
			"application.yaml", "application.yml", "application-default.properties", "application-default.xml",
			"application-default.yaml", "application-default.yml");

	/** A system property the console sets itself, which binds to nothing. */
	private static final Set<String> OWN_SYSTEM_PROPERTIES = Set.of("spring.backgroundpreinitializer.ignore");

	/**
	 * @param properties the leading {@code --name=value} arguments
	 * @param environment the process environment
	 * @param systemProperties the JVM's system properties
	 * @param workingDirectory where Spring Boot would look for {@code application.*} and
	 * {@code config/}
	 * @return the settings, or {@code null} when only Spring Boot can tell them
	 */
	static OneShotSettings resolve(List<String> properties, Map<String, String> environment,
			Properties systemProperties, Path workingDirectory) {
		if (configuredOutsideArguments(environment, systemProperties, workingDirectory)) {
			return null;
		}
		// Spring Boot keeps command-line options in a HashMap and binds the services map
		// source by source, command line first: a service named there comes first in
		// 'status', in that HashMap's order, then the rest in application.yaml's order.
		Map<String, String> given = new HashMap<>();
		for (String property : properties) {
			int equals = property.indexOf('=');
			String name = property.substring(2, equals);
			boolean known = SERVICE_PROPERTY.matcher(name).matches() || name.equals(TIMEOUT_PROPERTY)
					|| TLS_PROPERTY.matcher(name).matches();
			if (!known || given.putIfAbsent(name, property.substring(equals + 1)) != null) {
				return null;
			}
		}
		Map<String, Object> defaults = applicationYaml();
		Map<String, Map<String, String>> services = new LinkedHashMap<>();
		for (String name : given.keySet()) {
			Matcher service = SERVICE_PROPERTY.matcher(name);
			if (service.matches()) {
				services.computeIfAbsent(service.group(1), (key) -> new HashMap<>())
					.putIfAbsent(service.group(2), given.get(name));
			}
		}
		Map<String, Object> jcilium = section(defaults, "jcilium");
		section(jcilium, "services").forEach((service, fields) -> {
			Map<String, String> address = services.computeIfAbsent(service, (key) -> new HashMap<>());
			asMap(fields).forEach((field, value) -> address.putIfAbsent(field, String.valueOf(value)));
		});
		String timeout = given.getOrDefault(TIMEOUT_PROPERTY,
				String.valueOf(section(section(jcilium, "cli"), "status").get("timeout")));
		try {
			Map<String, ServiceAddress> addresses = new LinkedHashMap<>();
			for (Map.Entry<String, Map<String, String>> service : services.entrySet()) {
				String url = service.getValue().get("url");
				if (url == null || url.isEmpty()) {
					return null;
				}
				addresses.put(service.getKey(), new ServiceAddress(new URI(url), service.getValue().get("grpc")));
			}
			Duration statusTimeout = DurationStyle.detectAndParse(timeout);
			// Arguments win over the environment, as in Spring Boot.
			Map<String, String> tlsSettings = new HashMap<>();
			TLS_VARIABLES.forEach((property, variables) -> variables.stream()
				.map(environment::get)
				.filter((value) -> value != null)
				.findFirst()
				.ifPresent((value) -> tlsSettings.put(property, value)));
			given.forEach((name, value) -> {
				if (TLS_PROPERTY.matcher(name).matches()) {
					tlsSettings.put(name, value);
				}
			});
			ClientTls tls = new ClientTls(path(tlsSettings.get("jcilium.tls.ca-certificate")),
					path(tlsSettings.get("jcilium.tls.certificate")), path(tlsSettings.get("jcilium.tls.private-key")),
					bool(tlsSettings.get("jcilium.tls.enabled")));
			return new OneShotSettings(new ServiceAddresses(addresses, tls), new StatusProperties(statusTimeout),
					logLevels(defaults));
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			// Spring Boot reports a value it cannot bind in its own words.
			return null;
		}
	}

	private static boolean configuredOutsideArguments(Map<String, String> environment, Properties systemProperties,
			Path workingDirectory) {
		for (String variable : environment.keySet()) {
			String name = variable.toUpperCase(Locale.ROOT);
			boolean tlsReadHere = TLS_VARIABLES.values().stream().anyMatch((names) -> names.contains(variable));
			if (name.startsWith("JCILIUM_SERVICES") || name.startsWith("JCILIUM_CLI_STATUS")
					|| (name.startsWith("JCILIUM_TLS") && !tlsReadHere) || name.startsWith("SPRING_")
					|| name.startsWith("LOGGING_")) {
				return true;
			}
		}
		for (List<String> names : TLS_VARIABLES.values()) {
			if (names.stream().filter(environment::containsKey).count() > 1) {
				return true;
			}
		}
		for (String file : CONFIG_FILES) {
			// Spring Boot reads these from the class path too; the jar has only
			// application.yaml, read below.
			boolean onClassPath = (!file.equals("application.yaml")
					&& OneShotSettings.class.getResource("/" + file) != null)
					|| OneShotSettings.class.getResource("/config/" + file) != null;
			if (onClassPath) {
				return true;
			}
		}
		for (String property : systemProperties.stringPropertyNames()) {
			String name = property.toLowerCase(Locale.ROOT);
			if ((name.startsWith("jcilium.services") || name.startsWith("jcilium.cli.status")
					|| name.startsWith("jcilium.tls") || name.startsWith("spring.") || name.startsWith("logging."))
					&& !OWN_SYSTEM_PROPERTIES.contains(property)) {
				return true;
			}
		}
		List<Path> directories = new ArrayList<>(List.of(workingDirectory, workingDirectory.resolve("config")));
		try (DirectoryStream<Path> configSubdirectories = Files.newDirectoryStream(workingDirectory.resolve("config"),
				Files::isDirectory)) {
			configSubdirectories.forEach(directories::add);
		}
		catch (IOException ex) {
			// no config directory: nothing below it to read
		}
		for (Path directory : directories) {
			for (String file : CONFIG_FILES) {
				if (Files.exists(directory.resolve(file))) {
					return true;
				}
			}
		}
		return false;
	}

	/** A boolean as Spring Boot binds one; anything else is left to Spring Boot. */
	private static Boolean bool(String value) {
		if (value == null || value.isEmpty()) {
			return null;
		}
		if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
			return Boolean.valueOf(value);
		}
		throw new IllegalArgumentException("jcilium.tls.enabled: not a boolean: " + value);
	}

	private static Path path(String value) {
		return (value != null && !value.isEmpty()) ? Path.of(value) : null;
	}

	private static Map<String, Object> applicationYaml() {
		try (InputStream in = OneShotSettings.class.getResourceAsStream("/application.yaml")) {
			if (in == null) {
				throw new IllegalStateException("application.yaml is missing from the console's class path");
			}
			Map<String, Object> yaml = new Yaml().load(in);
			return (yaml != null) ? yaml : Map.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The {@code logging.level} entries: logger name to level. */
	private static Map<String, String> logLevels(Map<String, Object> yaml) {
		Map<String, String> levels = new LinkedHashMap<>();
		section(section(yaml, "logging"), "level")
			.forEach((logger, level) -> levels.put(logger, String.valueOf(level)));
		return levels;
	}

	private static Map<String, Object> section(Map<String, Object> parent, String key) {
		return asMap(parent.get(key));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(Object value) {
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

}
