package io.jcilium.aot;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.core.env.Environment;

/**
 * What the build's Spring AOT processing decided a service's beans from: every property
 * looked up while it evaluated the conditions (with the value it had, or none), the cloud
 * platform and the active profiles. Spring AOT fixes the outcome of every condition at
 * build time (a bean switched on or off by {@code jcilium.agent.hubble.enabled} stays as
 * processed), so a start whose environment differs in any of these cannot use what was
 * processed.
 * <p>
 * Stored as a properties file in the jar: {@code set.NAME=VALUE}, {@code unset.NAME=},
 * {@code cloud-platform=NAME} ({@code none} off any platform), {@code profiles=A,B}.
 */
final class ProcessedEnvironment {

	/** Where the build stores it, in the jar. */
	static final String RESOURCE = "META-INF/jcilium/aot-environment.properties";

	/**
	 * Properties looked up during the processing that are not compared one by one. The
	 * HTTP port is compared with the management port (management.server.port, which is
	 * compared) to decide whether the management endpoints get a server of their own; the
	 * process id and the version (from the jar's manifest, which the processing runs
	 * without) are Spring's own; the cloud platform setting is compared through the
	 * platform it gives (the scripts' training sets none, which the processing detects).
	 */
	static final Set<String> COMPARED_OTHERWISE = Set.of("server.port", "spring.application.pid",
			"spring.application.version", "spring.main.cloud-platform");

	private final Map<String, String> properties;

	private final String cloudPlatform;

	private final List<String> profiles;

	private ProcessedEnvironment(Map<String, String> properties, String cloudPlatform, List<String> profiles) {
		this.properties = properties;
		this.cloudPlatform = cloudPlatform;
		this.profiles = profiles;
	}

	/**
	 * @param names the properties looked up during the processing
	 * @param environment the processing's environment
	 * @return their values in it, with its cloud platform and profiles
	 */
	static ProcessedEnvironment of(Iterable<String> names, Environment environment) {
		Map<String, String> properties = new TreeMap<>();
		for (String name : names) {
			// A placeholder with a default is asked for as NAME:DEFAULT, then as NAME.
			if (!COMPARED_OTHERWISE.contains(name) && !name.contains(":")) {
				properties.put(name, environment.getProperty(name));
			}
		}
		return new ProcessedEnvironment(properties, platform(environment), List.of(environment.getActiveProfiles()));
	}

	/**
	 * @param classLoader where to find {@link #RESOURCE}
	 * @return what was stored, or null when the class path holds none
	 */
	static ProcessedEnvironment load(ClassLoader classLoader) {
		try (InputStream in = classLoader.getResourceAsStream(RESOURCE)) {
			if (in == null) {
				return null;
			}
			Properties stored = new Properties();
			stored.load(in);
			Map<String, String> properties = new TreeMap<>();
			for (String key : stored.stringPropertyNames()) {
				if (key.startsWith("set.")) {
					properties.put(key.substring(4), stored.getProperty(key));
				}
				else if (key.startsWith("unset.")) {
					properties.put(key.substring(6), null);
				}
			}
			String profiles = stored.getProperty("profiles", "");
			return new ProcessedEnvironment(properties, stored.getProperty("cloud-platform", "none"),
					profiles.isEmpty() ? List.of() : Arrays.asList(profiles.split(",")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + RESOURCE, ex);
		}
	}

	/**
	 * @return the file's content, as {@link #load} reads it
	 */
	String store() {
		Properties stored = new Properties();
		this.properties.forEach((name, value) -> {
			if (value != null) {
				stored.setProperty("set." + name, value);
			}
			else {
				stored.setProperty("unset." + name, "");
			}
		});
		stored.setProperty("cloud-platform", this.cloudPlatform);
		stored.setProperty("profiles", String.join(",", this.profiles));
		StringWriter out = new StringWriter();
		try {
			stored.store(out, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		// Sorted and without the date Properties writes: the same build, the same file.
		return "# the environment the service's Spring AOT processing saw (io.jcilium.aot)\n" + out.toString()
			.lines()
			.filter((line) -> !line.startsWith("#"))
			.sorted()
			.collect(Collectors.joining("\n")) + "\n";
	}

	/**
	 * @return how many properties were looked up
	 */
	int size() {
		return this.properties.size();
	}

	/**
	 * @param environment a start's environment
	 * @return where it differs from the processed one, one sentence each; empty when the
	 * processed start-up fits it
	 */
	List<String> differences(Environment environment) {
		List<String> differences = new ArrayList<>();
		this.properties.forEach((name, processed) -> {
			String here = environment.getProperty(name);
			if (!Objects.equals(here, processed)) {
				differences.add(name + " is " + describe(here) + " here, " + describe(processed) + " when processed");
			}
		});
		String platform = platform(environment);
		if (!platform.equals(this.cloudPlatform)) {
			differences.add("the cloud platform is " + platform + " here, " + this.cloudPlatform + " when processed");
		}
		List<String> profiles = List.of(environment.getActiveProfiles());
		if (!profiles.equals(this.profiles)) {
			differences.add("the active profiles are " + profiles + " here, " + this.profiles + " when processed");
		}
		return differences;
	}

	private static String describe(String value) {
		return (value != null) ? "'" + value + "'" : "unset";
	}

	private static String platform(Environment environment) {
		// NONE (spring.main.cloud-platform=none) and no platform detected are the same to
		// every condition.
		CloudPlatform platform = CloudPlatform.getActive(environment);
		return (platform != null && platform != CloudPlatform.NONE) ? platform.name() : "none";
	}

}
