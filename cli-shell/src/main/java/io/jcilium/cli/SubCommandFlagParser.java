package io.jcilium.cli;

import java.util.Arrays;
import java.util.List;

import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;

/**
 * Lets boolean flags of sub-commands stand alone ({@code policy trace --offline ...}).
 * Spring Shell 4.0.1's parser looks boolean options up under the root word only
 * ({@code policy}), so a bare flag of a multi-word command is refused as "requires a
 * value". This parser spells such flags out as {@code --flag=true} (a short one such as
 * {@code -v} by its long name) and leaves everything else to the delegate.
 */
class SubCommandFlagParser implements CommandParser {

	private final CommandRegistry registry;

	private final CommandParser delegate;

	SubCommandFlagParser(CommandRegistry registry, CommandParser delegate) {
		this.registry = registry;
		this.delegate = delegate;
	}

	@Override
	public ParsedInput parse(String input) {
		return this.delegate.parse(spellOutFlags(input));
	}

	String spellOutFlags(String input) {
		String[] words = input.trim().split("\\s+");
		Command command = null;
		int firstOption = 0;
		for (int end = words.length; end > 1; end--) {
			command = this.registry.getCommandByName(String.join(" ", Arrays.copyOfRange(words, 0, end)));
			if (command != null) {
				firstOption = end;
				break;
			}
		}
		if (command == null) {
			return input;
		}
		boolean changed = false;
		for (int i = firstOption; i < words.length; i++) {
			boolean last = i + 1 == words.length;
			if (words[i].length() > 1 && words[i].startsWith("-") && !words[i].contains("=")
					&& (last || words[i + 1].startsWith("-"))) {
				CommandOption flag = booleanOption(command.getOptions(), words[i]);
				if (flag != null) {
					// A short flag (-v) is spelled out by its long name when it has one.
					words[i] = ((flag.longName() != null && !flag.longName().isEmpty()) ? "--" + flag.longName()
							: words[i]) + "=true";
					changed = true;
				}
			}
		}
		return changed ? String.join(" ", words) : input;
	}

	private static CommandOption booleanOption(List<CommandOption> options, String word) {
		return options.stream()
			.filter((option) -> option.isOptionEqual(word))
			.filter((option) -> option.type() == boolean.class || option.type() == Boolean.class)
			.findFirst()
			.orElse(null);
	}

}
