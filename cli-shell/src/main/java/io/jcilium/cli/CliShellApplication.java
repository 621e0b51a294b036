package io.jcilium.cli;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Entry point of the admin console: interactive without arguments, one-shot with a
 * command ({@code java -jar cli-shell.jar status}), whose outcome becomes the exit code
 * (see {@link ExitCodes}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CliShellApplication {

	public static void main(String[] args) {
		System.exit(run(args));
	}

	/**
	 * Runs the console to the end and returns the process exit code.
	 */
	static int run(String... args) {
		CliArguments arguments = CliArguments.parse(args);
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
