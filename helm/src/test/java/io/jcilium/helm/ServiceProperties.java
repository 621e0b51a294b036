package io.jcilium.helm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The configuration properties a service reads: those of its own
 * {@code @ConfigurationProperties} (the metadata Spring Boot's configuration processor
 * writes into the service's build output), those of the api module every service has
 * ({@code jcilium.tls.*}) and those of the Spring Boot and Spring gRPC modules on this
 * module's test classpath (their jars carry the same metadata).
 */
final class ServiceProperties {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private final Set<String> names = new HashSet<>();

	/** Properties of a Map type: every key below them is read. */
	private final Set<String> mapNames = new HashSet<>();

	private ServiceProperties() {
	}

	/**
	 * @param module the service's Maven module directory name, e.g. {@code ipam-service}
	 * @return its properties and Spring's
	 */
	static ServiceProperties of(String module) {
		ServiceProperties properties = new ServiceProperties();
		Path own = Path.of("..", module, "target", "classes", METADATA);
		if (!Files.isRegularFile(own)) {
			throw new IllegalStateException(own + " is missing: build " + module
					+ " first (its compile writes the metadata; helm's pom orders the build)");
		}
		Path shared = Path.of("..", "api", "target", "classes", METADATA);
		if (!Files.isRegularFile(shared)) {
			throw new IllegalStateException(shared + " is missing: build api first");
		}
		try (InputStream in = Files.newInputStream(own); InputStream api = Files.newInputStream(shared)) {
			properties.add(in);
			properties.add(api);
			Enumeration<URL> spring = ServiceProperties.class.getClassLoader().getResources(METADATA);
			while (spring.hasMoreElements()) {
				try (InputStream jar = spring.nextElement().openStream()) {
					properties.add(jar);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

	/** Whether the service binds the property: by its name, or below a Map property. */
	boolean reads(String property) {
		if (this.names.contains(property)) {
			return true;
		}
		for (String map : this.mapNames) {
			if (property.startsWith(map + ".")) {
				return true;
			}
		}
		return false;
	}

	@SuppressWarnings("unchecked")
	private void add(InputStream json) {
		Map<String, Object> metadata;
		try {
			metadata = new ObjectMapper().readValue(json, Map.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		for (Map<String, Object> property : (List<Map<String, Object>>) metadata.getOrDefault("properties",
				List.of())) {
			String name = (String) property.get("name");
			this.names.add(name);
			Object type = property.get("type");
			if (type instanceof String text && text.startsWith("java.util.Map<")) {
				this.mapNames.add(name);
			}
		}
	}

}
