package io.jcilium.cli;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.core.convert.ConversionException;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.ParsedInput;

/**
 * Runs one command line and turns its outcome into a process exit code.
 * <p>
 * Spring Shell's own non-interactive runner only logs a failed command and exits 0, which
 * no script can rely on; it also lets unknown options pass silently. This runner reports
 * every problem on the error stream in words a user can act on and returns
 * {@link ExitCodes#USAGE} for a wrong command line, {@link ExitCodes#FAILURE} for a
 * command that failed.
 */
class OneShotExecutor {

	private static final InputReader NO_INPUT = new InputReader() {
	};

	private final CommandParser parser;

	private final CommandRegistry registry;

	private final PrintWriter out;

	private final PrintWriter err;

	OneShotExecutor(CommandParser parser, CommandRegistry registry, PrintWriter out, PrintWriter err) {
		this.parser = parser;
		this.registry = registry;
		this.out = out;
		this.err = err;
	}

	int execute(String commandLine) {
		try {
			return run(commandLine);
		}
		finally {
			this.out.flush();
			this.err.flush();
		}
	}

	private int run(String commandLine) {
		ParsedInput input;
		try {
			input = this.parser.parse(commandLine);
		}
		catch (RuntimeException ex) {
			// Spring Shell's parser treats any unknown option as one that needs a value.
			return usage("Invalid command line '" + commandLine + "': " + ex.getMessage()
					+ ". Run 'help' for the commands, '<command> --help' for a command's options.");
		}
		String name = fullName(input);
		Command command = this.registry.getCommandByName(name);
		if (command == null) {
			return unknownCommand(name);
		}
		List<String> unknownOptions = unknownOptions(command, input);
		if (!unknownOptions.isEmpty()) {
			return usage(
					"Unknown option" + ((unknownOptions.size() > 1) ? "s " : " ") + String.join(", ", unknownOptions)
							+ " for '" + name + "'. Run '" + name + " --help' for its options.");
		}
		try {
			ExitStatus status = command.execute(new CommandContext(input, this.registry, this.out, NO_INPUT));
			return exitCode(name, status);
		}
		catch (Exception ex) {
			return failure(name, rootCause(ex));
		}
	}

	private int unknownCommand(String name) {
		List<Command> candidates = this.registry.getCommandsByPrefix(name + " ");
		if (!candidates.isEmpty()) {
			return usage("'" + name + "' needs a sub-command: "
					+ candidates.stream().map(Command::getName).sorted().collect(Collectors.joining(", ")) + ".");
		}
		return usage("Unknown command '" + name + "'. Run 'help' to list the commands.");
	}

	private static List<String> unknownOptions(Command command, ParsedInput input) {
		return input.options()
			.stream()
			.filter((given) -> !isHelp(given) && command.getOptions().stream().noneMatch((known) -> same(known, given)))
			.map(OneShotExecutor::display)
			.toList();
	}

	private static boolean same(CommandOption known, CommandOption given) {
		boolean sameLongName = given.longName() != null && !given.longName().isEmpty()
				&& given.longName().equals(known.longName());
		boolean sameShortName = given.shortName() != ' ' && given.shortName() == known.shortName();
		return sameLongName || sameShortName;
	}

	private static boolean isHelp(CommandOption option) {
		return "help".equals(option.longName()) || option.shortName() == 'h';
	}

	private static String display(CommandOption option) {
		return (option.longName() != null && !option.longName().isEmpty()) ? "--" + option.longName()
				: "-" + option.shortName();
	}

	private int exitCode(String name, ExitStatus status) {
		if (status.code() == ExitStatus.OK.code()) {
			return ExitCodes.OK;
		}
		if (status.code() == ExitStatus.USAGE_ERROR.code()) {
			return usage("Invalid arguments for '" + name + "'. Run '" + name + " --help' for its usage.");
		}
		this.err.println("Command '" + name + "' failed: " + status.description());
		return ExitCodes.FAILURE;
	}

	private int failure(String name, Throwable cause) {
		if (cause instanceof CommandFailedException) {
			this.err.println(cause.getMessage());
			return ExitCodes.FAILURE;
		}
		// Spring Shell reports a missing required option, a value it cannot convert and a
		// command's own argument check this way: all mean the command line was wrong.
		if (cause instanceof IllegalArgumentException || cause instanceof ConversionException) {
			return usage("Invalid arguments for '" + name + "': " + cause.getMessage());
		}
		String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getName();
		this.err.println("Command '" + name + "' failed: " + message);
		return ExitCodes.FAILURE;
	}

	private int usage(String message) {
		this.err.println(message);
		return ExitCodes.USAGE;
	}

	static String fullName(ParsedInput input) {
		if (input.subCommands().isEmpty()) {
			return input.commandName();
		}
		return input.commandName() + " " + String.join(" ", input.subCommands());
	}

	/**
	 * Commands reach us wrapped: Spring Shell's {@code CommandExecutionException} and the
	 * reflective call's {@link InvocationTargetException}. The innermost cause is what
	 * went wrong, except that a {@link CommandFailedException} wins wherever it sits.
	 */
	private static Throwable rootCause(Throwable ex) {
		Throwable current = ex;
		while (current.getCause() != null && current.getCause() != current) {
			if (current instanceof CommandFailedException) {
				return current;
			}
			current = current.getCause();
		}
		return current;
	}

}
