package io.jcilium.testsupport;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The module boundaries the build enforces, as ArchUnit rules. Every module runs the
 * rules that apply to it over its own main classes ({@code ModuleBoundariesTest} in each
 * module): a module sees exactly the classes its pom lets it see, so a rule there catches
 * a boundary crossed by a new dependency as well as by a new import. Each rule says why.
 */
public final class ModuleBoundaries {

	/**
	 * The root package of each deployable service (and of the tools that run as their own
	 * process). identity-client ({@code io.jcilium.identity.client}) is a library, not
	 * part of identity-service.
	 */
	public static final List<String> SERVICES = List.of("io.jcilium.agent", "io.jcilium.identity", "io.jcilium.ipam",
			"io.jcilium.operator", "io.jcilium.bgp", "io.jcilium.relay", "io.jcilium.cli", "io.jcilium.devapiserver");

	private static final String IDENTITY_CLIENT = "io.jcilium.identity.client";

	private static final String JACKSON2_MAPPER = "com.fasterxml.jackson.databind.ObjectMapper";

	private static final String JACKSON3_MAPPER = "tools.jackson.databind.ObjectMapper";

	private static final String BOOT_JACKSON3 = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration";

	// I/O that the Spring-free domain core must not do: files, sockets, HTTP, processes.
	private static final Set<String> IO_PACKAGES = Set.of("java.nio.file", "java.nio.channels", "java.net.http");

	private static final Set<String> IO_CLASSES = Set.of("java.io.File", "java.io.FileInputStream",
			"java.io.FileOutputStream", "java.io.FileReader", "java.io.FileWriter", "java.io.RandomAccessFile",
			"java.net.Socket", "java.net.ServerSocket", "java.net.DatagramSocket", "java.net.URL",
			"java.net.URLConnection", "java.net.HttpURLConnection", "java.lang.ProcessBuilder", "java.lang.Process");

	private ModuleBoundaries() {
	}

	/**
	 * The main classes of the module that holds {@code anchor} (its
	 * {@code target/classes}), without its tests or its dependencies.
	 * @param anchor any main class of the module
	 * @return the imported classes
	 */
	public static JavaClasses mainClassesOf(Class<?> anchor) {
		try {
			Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
			// The rules judge a dependency by its target's name alone: no need to load
			// every
			// class the module refers to from the classpath (minutes on a big one).
			return ArchConfiguration.withThreadLocalScope((configuration) -> {
				configuration.setResolveMissingDependenciesFromClassPath(false);
				return new ClassFileImporter().importPath(location);
			});
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("cannot locate the classes of " + anchor, ex);
		}
	}

	/**
	 * No class depends on another service's classes.
	 * @param ownRoot the module's own root package, e.g. {@code io.jcilium.agent}; null
	 * for a library, which may use no service at all
	 * @return the rule
	 */
	public static ArchRule noDependencyOnAnotherService(String ownRoot) {
		return noClasses().should()
			.dependOnClassesThat(belongToAServiceOtherThan(ownRoot))
			.because("services meet only over their APIs (gRPC, the Kubernetes API, the agent socket), "
					+ "never through each other's classes: each one is built, released and scaled on its own, "
					+ "and shared code belongs in api, common or a client library");
	}

	/**
	 * {@code common} (the domain core) uses neither Spring nor Kubernetes, gRPC or Redis
	 * clients.
	 * @return the rule
	 */
	public static ArchRule commonIsFrameworkFree() {
		return noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "io.fabric8..", "io.grpc..", "io.lettuce..", "redis..")
			.because("common is the domain core: plain Java constructible with new, testable without a "
					+ "framework; Spring only wires it in the services");
	}

	/**
	 * {@code common} does no I/O: no files, sockets, HTTP or processes.
	 * @return the rule
	 */
	public static ArchRule commonDoesNoIo() {
		return noClasses().should()
			.dependOnClassesThat(doingIo())
			.because("common is the domain core: it computes on values it is given; reading files, "
					+ "talking to sockets or running processes belongs to the service that needs it, "
					+ "behind an interface it can fake");
	}

	/**
	 * {@code api} (the protos and CRD types) depends on nothing else of ours.
	 * @return the rule
	 */
	public static ArchRule apiDependsOnNothingOfOurs() {
		return noClasses().should()
			.dependOnClassesThat(resideInAPackage("io.jcilium..").and(resideOutsideOfPackage("io.jcilium.api..")))
			.because("api is the contract every service and client compiles against; it must not drag "
					+ "in any implementation");
	}

	/**
	 * Fails when Jackson 2's databind is on the module's class path (the test class path
	 * holds the run-time one). Spring Boot 4 serializes with Jackson 3; with
	 * {@code jackson-databind} 2 beside it, Boot also switches on its Jackson 2
	 * compatibility configurations (a second ObjectMapper for the actuator): over 500
	 * classes and about 9 MiB of RSS in a service that never uses them. Only the services
	 * with a fabric8 Kubernetes client, which is built on Jackson 2, carry it.
	 */
	public static void assertNoJackson2() {
		assertAbsent(JACKSON2_MAPPER,
				"Jackson 2: a service without a Kubernetes client runs on Spring Boot's Jackson 3 alone; "
						+ "keep the dependency that brings it optional or excluded (api's fabric8 model is optional)");
	}

	/**
	 * Fails when Jackson 3 or Boot's Jackson 3 configuration is on the module's class
	 * path. The services with a fabric8 Kubernetes client (built on Jackson 2) run on
	 * Jackson 2 alone through Boot's {@code spring-boot-jackson2}: Jackson 3 beside it
	 * would load ~700 more classes.
	 */
	public static void assertNoJackson3() {
		String why = "a service with a Kubernetes client runs on Jackson 2 alone (spring-boot-jackson2); "
				+ "exclude spring-boot-starter-jackson / spring-boot-starter-json from the dependency that brings it";
		assertAbsent(JACKSON3_MAPPER, "Jackson 3: " + why);
		assertAbsent(BOOT_JACKSON3, "Boot's Jackson 3 configuration: " + why);
	}

	private static void assertAbsent(String className, String what) {
		Class<?> found;
		try {
			found = Class.forName(className, false, ModuleBoundaries.class.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			return;
		}
		throw new AssertionError(className + " is on the class path (from "
				+ found.getProtectionDomain().getCodeSource().getLocation() + "): " + what);
	}

	private static DescribedPredicate<JavaClass> belongToAServiceOtherThan(String ownRoot) {
		return DescribedPredicate.describe("belong to a service other than " + ownRoot, (type) -> {
			String name = type.getPackageName();
			if (within(name, IDENTITY_CLIENT) || (ownRoot != null && within(name, ownRoot))) {
				return false;
			}
			return SERVICES.stream().anyMatch((service) -> within(name, service));
		});
	}

	private static DescribedPredicate<JavaClass> doingIo() {
		return DescribedPredicate.describe("do I/O (files, sockets, HTTP, processes)",
				(type) -> IO_PACKAGES.contains(type.getPackageName()) || IO_CLASSES.contains(type.getName()));
	}

	private static boolean within(String packageName, String root) {
		return packageName.equals(root) || packageName.startsWith(root + ".");
	}

}
