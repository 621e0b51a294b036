package io.jcilium.cli;

import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;
import org.springframework.shell.jline.CommandCompleter;

/**
 * Tab completion of a partly typed argument ({@code endpoint get 1<Tab>}).
 * <p>
 * Spring Shell 4.0.1's completer names the command by every word that does not start with
 * {@code -}, so the argument being typed is taken as part of the command's name, no
 * command matches, and nothing is proposed; only an empty word after the command
 * ({@code endpoint get <Tab>}) reached the command's completion provider. This completer
 * names the command by the words before the one being typed and asks that command's
 * provider, as Spring Shell does for the empty word; command names, options and option
 * values stay Spring Shell's.
 */
class ArgumentCompleter extends CommandCompleter {

	private final CommandRegistry registry;

	ArgumentCompleter(CommandRegistry registry) {
		super(registry);
		this.registry = registry;
	}

	@Override
	public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
		Command command = commandBeforeTypedArgument(line);
		CompletionProvider provider = (command != null) ? command.getCompletionProvider() : null;
		if (provider == null) {
			super.complete(reader, line, candidates);
			return;
		}
		CompletionContext context = new CompletionContext(line.words(), line.wordIndex(), line.wordCursor(), command,
				null);
		for (CompletionProposal proposal : provider.apply(context)) {
			candidates.add(new Candidate(proposal.value(), proposal.displayText(), proposal.category(),
					proposal.description(), null, null, proposal.complete(), 0));
		}
	}

	/**
	 * The command named by all words before the last one, when the last one is a partly
	 * typed argument: not empty, not an option, no option before it, and no longer
	 * command name starts with these words (then it is a sub-command being typed).
	 */
	private Command commandBeforeTypedArgument(ParsedLine line) {
		List<String> words = line.words();
		int typed = line.wordIndex();
		if (typed < 1 || typed != words.size() - 1) {
			return null;
		}
		String word = words.get(typed);
		List<String> before = words.subList(0, typed);
		if (word.isEmpty() || word.startsWith("-") || before.stream().anyMatch((w) -> w.startsWith("-"))) {
			return null;
		}
		String name = String.join(" ", before).trim();
		if (!this.registry.getCommandsByPrefix(name + " " + word).isEmpty()) {
			return null;
		}
		return this.registry.getCommandByName(name);
	}

}
