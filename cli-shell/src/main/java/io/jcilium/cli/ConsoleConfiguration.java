package io.jcilium.cli;

import java.io.PrintWriter;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.shell.core.ShellRunner;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.DefaultCommandParser;
import org.springframework.shell.jline.CommandCompleter;
import org.springframework.shell.jline.PromptProvider;

/**
 * Wires how the console runs. Our {@link ConsoleRunner} replaces Spring Shell's default
 * application runner (which backs off when one exists) so that one-shot commands get real
 * exit codes.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

	@Bean
	ConsoleRunner consoleRunner(ObjectProvider<CliArguments> arguments, ObjectProvider<ShellRunner> shellRunner,
			ObjectProvider<CommandParser> parser, ObjectProvider<CommandRegistry> registry) {
		return new ConsoleRunner(arguments.getIfAvailable(), shellRunner::getObject,
				() -> new OneShotExecutor(parser.getObject(), registry.getObject(), new PrintWriter(System.out),
						new PrintWriter(System.err)));
	}

	@Bean
	CommandParser commandParser(CommandRegistry registry) {
		return new SubCommandFlagParser(registry, new DefaultCommandParser(registry));
	}

	/**
	 * Replaces Spring Shell's completer (which it does not back off for): see the class.
	 */
	@Bean
	@Primary
	CommandCompleter argumentCompleter(CommandRegistry registry) {
		return new ArgumentCompleter(registry);
	}

	@Bean
	PromptProvider promptProvider() {
		return () -> new AttributedString("jcilium> ", AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN));
	}

}
