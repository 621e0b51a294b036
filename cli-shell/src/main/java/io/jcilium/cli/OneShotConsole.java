package io.jcilium.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.DefaultCommandParser;
import org.springframework.shell.core.command.ParsedInput;

/**
 * One console command without a Spring context. Starting the context (environment,
 * configuration files, bean definitions, Spring Shell's auto-configuration) was most of a
 * one-shot command's second and more; the command itself needs only its objects and a
 * parser. So this path builds every command class with its constructor
 * ({@link CommandObjects}), turns their annotated methods into Spring Shell's commands
 * ({@link HandBuiltCommands}) and runs the line through the same
 * {@link SubCommandFlagParser} and {@link OneShotExecutor} as the context does: same
 * parsing, same rendering, same one-line errors and exit codes.
 * <p>
 * It steps aside (an empty result, and the caller starts the context) for what only the
 * context has: Spring Shell's built-in commands ({@code help}, {@code version}, ...), a
 * command line that names no console command or does not parse, and settings that only
 * Spring Boot can resolve ({@link OneShotSettings}).
 * {@code -Djcilium.cli.fast-one-shot=false} turns it off.
 */
final class OneShotConsole {

	static final String PROPERTY = "jcilium.cli.fast-one-shot";

	private OneShotConsole() {
	}

	/**
	 * Runs the command of {@code arguments} if this path can.
	 * @return its exit code, or empty when the context must run it
	 */
	static OptionalInt run(CliArguments arguments, PrintWriter out, PrintWriter err) {
		if (arguments.interactive() || !Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
			return OptionalInt.empty();
		}
		OneShotSettings settings = OneShotSettings.resolve(arguments.properties(), System.getenv(),
				System.getProperties(), Path.of(""));
		if (settings == null) {
			return OptionalInt.empty();
		}
		quietLogging(settings.logLevels());
		CommandRegistry registry = HandBuiltCommands
			.registry(CommandObjects.all(settings.addresses(), settings.status()));
		CommandParser parser = new SubCommandFlagParser(registry, new DefaultCommandParser(registry));
		String commandLine = arguments.commandLine();
		if (!names(parser, registry, commandLine)) {
			return OptionalInt.empty();
		}
		return OptionalInt.of(new OneShotExecutor(parser, registry, out, err).execute(commandLine));
	}

	/** Whether the line parses and names one of the console's own commands. */
	private static boolean names(CommandParser parser, CommandRegistry registry, String commandLine) {
		try {
			ParsedInput input = parser.parse(commandLine);
			return registry.getCommandByName(OneShotExecutor.fullName(input)) != null;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * The log levels of {@code application.yaml}, as Spring Boot's logging system would
	 * set them: without them Logback's default configuration prints every debug line of
	 * Spring Shell and Netty. Messages of {@code java.util.logging} (gRPC's) are routed
	 * to the same levels.
	 */
	private static void quietLogging(Map<String, String> levels) {
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
			levels.forEach((logger, level) -> context.getLogger(logger).setLevel(Level.toLevel(level, Level.WARN)));
		}
		if (!SLF4JBridgeHandler.isInstalled()) {
			SLF4JBridgeHandler.removeHandlersForRootLogger();
			SLF4JBridgeHandler.install();
		}
	}

}
