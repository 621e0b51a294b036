package io.jcilium.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.info.ProjectInfoAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.shell.core.autoconfigure.SpringShellAutoConfiguration;

/**
 * Entry point of the admin console: interactive without arguments, one-shot with a
 * command ({@code java -jar cli-shell.jar status}), whose outcome becomes the exit code
 * (see {@link ExitCodes}).
 * <p>
 * A lean context on purpose: {@code application.yaml} switches
 * {@code @EnableAutoConfiguration} off ({@code spring.boot.enableautoconfiguration}), and
 * only Spring Shell, the property placeholders and project info (for {@code version}) are
 * imported. The console makes its HTTP and gRPC calls with the JDK's client and plain
 * gRPC channels, so the ~150 candidates auto-configuration would evaluate on every start
 * (Jackson, RestClient, gRPC client factories, task executors, SSL) only cost start-up
 * time, and a one-shot command is expected in well under a second. Spring Shell finds the
 * commands from the {@code @SpringBootApplication} class, so that annotation stays;
 * without bean methods calling each other it needs no CGLIB subclass
 * ({@code proxyBeanMethods}).
 * <p>
 * With {@code -Djcilium.cli.training=true} it makes the {@link TrainingRun} the launcher
 * records its class cache from.
 */
@SpringBootApplication(proxyBeanMethods = false)
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, ProjectInfoAutoConfiguration.class,
		SpringShellAutoConfiguration.class })
@ConfigurationPropertiesScan
public class CliShellApplication {

	private static final String PREINITIALIZER_IGNORE = "spring.backgroundpreinitializer.ignore";

	public static void main(String[] args) throws Exception {
		if (Boolean.getBoolean(TrainingRun.PROPERTY)) {
			System.exit(TrainingRun.run());
		}
		System.exit(run(args));
	}

	/**
	 * Runs the console to the end and returns the process exit code: a one-shot command
	 * without a Spring context when {@link OneShotConsole} can, else in the context.
	 */
	static int run(String... args) {
		CliArguments arguments = CliArguments.parse(args);
		OptionalInt oneShot = OneShotConsole.run(arguments, new PrintWriter(System.out), new PrintWriter(System.err));
		return oneShot.isPresent() ? oneShot.getAsInt() : runInContext(arguments);
	}

	/**
	 * Runs the console in a Spring context: the interactive shell, and the one-shot
	 * commands {@link OneShotConsole} leaves to it.
	 */
	static int runInContext(CliArguments arguments) {
		// Spring Boot warms Jackson, Bean Validation, message converters and charsets up
		// in a
		// background thread. No command needs them before it runs, and on two cores that
		// thread only competes with the command (and fills the AOT cache with ~500
		// classes
		// that every start then maps in).
		if (System.getProperty(PREINITIALIZER_IGNORE) == null) {
			System.setProperty(PREINITIALIZER_IGNORE, "true");
		}
		SpringApplication application = new SpringApplication(CliShellApplication.class);
		// Defaults only: a user's --spring.main.lazy-initialization=false still wins.
		Map<String, Object> modeDefaults = new HashMap<>();
		if (!arguments.interactive()) {
			modeDefaults.put("spring.shell.interactive.enabled", "false");
			// One command needs few beans: create only those (saves start time) and never
			// touch the terminal, which would warn when output is not a TTY.
			modeDefaults.put("spring.main.lazy-initialization", "true");
		}
		application.setDefaultProperties(modeDefaults);
		application.addInitializers((context) -> context.getBeanFactory().registerSingleton("cliArguments", arguments));
		ConfigurableApplicationContext context;
		try {
			context = application.run(arguments.properties().toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			// Spring Boot has already reported why the console could not start.
			return ExitCodes.FAILURE;
		}
		return SpringApplication.exit(context);
	}

}
