package io.jcilium.cli;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The console's command line, split in two: leading {@code --some.property=value}
 * arguments configure the application (e.g.
 * {@code --jcilium.services.identity.url=http://10.0.0.5:8281}), everything after them is
 * one command to run. No command means an interactive shell.
 * <p>
 * The split matters because Spring Shell joins all arguments into the command line, and
 * Spring Boot would read every {@code --x=y} as a property, even one meant as a command
 * option.
 *
 * @param properties arguments handed to Spring Boot
 * @param command the words of the command to run once, empty for interactive mode
 */
record CliArguments(List<String> properties, List<String> command) {

	CliArguments {
		properties = List.copyOf(properties);
		command = List.copyOf(command);
	}

	static CliArguments parse(String... args) {
		int firstCommandWord = 0;
		while (firstCommandWord < args.length && isProperty(args[firstCommandWord])) {
			firstCommandWord++;
		}
		List<String> properties = Arrays.asList(args).subList(0, firstCommandWord);
		List<String> command = Arrays.asList(args).subList(firstCommandWord, args.length);
		return new CliArguments(properties, command);
	}

	/**
	 * A property has a dotted name ({@code --jcilium.cli.status.timeout=5s}), which tells
	 * it apart from a misplaced command option such as {@code --timeout=5s}.
	 */
	private static boolean isProperty(String arg) {
		int equals = arg.indexOf('=');
		return arg.startsWith("--") && equals > 2 && arg.substring(2, equals).contains(".");
	}

	boolean interactive() {
		return this.command.isEmpty();
	}

	/**
	 * The command as one line for Spring Shell's parser, quoting words that the shell had
	 * kept together, and accepting {@code --help}/{@code -h}/{@code --version} alone as
	 * the commands users expect them to be.
	 */
	String commandLine() {
		if (this.command.equals(List.of("--help")) || this.command.equals(List.of("-h"))) {
			return "help";
		}
		if (this.command.equals(List.of("--version"))) {
			return "version";
		}
		return this.command.stream().map(CliArguments::quoteIfNeeded).collect(Collectors.joining(" "));
	}

	private static String quoteIfNeeded(String word) {
		if (word.isEmpty() || word.chars().anyMatch(Character::isWhitespace)) {
			return "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
		}
		return word;
	}

}
