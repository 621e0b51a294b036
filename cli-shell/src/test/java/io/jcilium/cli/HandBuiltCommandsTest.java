package io.jcilium.cli;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.status.StatusProperties;
import jakarta.validation.Constraint;
import jakarta.validation.Valid;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.adapter.MethodInvokerCommandAdapter;
import org.springframework.shell.core.command.annotation.Option;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands the one-shot path builds by hand against the ones the Spring context
 * registers: every console command (all but Spring Shell's built-ins) is there, with the
 * same description, group, help, aliases and options. And the two shortcuts the
 * hand-built commands take stay sound: no command parameter declares a Bean Validation
 * constraint, and every primitive option spells its default.
 */
class HandBuiltCommandsTest {

	private static final List<Object> TARGETS = CommandObjects.all(new ServiceAddresses(Map.of(), null),
			new StatusProperties(Duration.ofSeconds(2)));

	@Test
	void areTheContextsConsoleCommands() {
		Map<String, Command> handBuilt = byName(HandBuiltCommands.registry(TARGETS));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CliShellApplication.class)
			.properties("spring.shell.interactive.enabled=false", "spring.main.lazy-initialization=true")
			.run()) {
			Map<String, Command> registered = byName(context.getBean(CommandRegistry.class));
			registered.values().removeIf((command) -> !(command instanceof MethodInvokerCommandAdapter));

			assertThat(handBuilt.keySet()).containsExactlyInAnyOrderElementsOf(registered.keySet());
			registered.forEach((name, expected) -> {
				Command actual = handBuilt.get(name);
				assertThat(actual.getDescription()).as(name).isEqualTo(expected.getDescription());
				assertThat(actual.getGroup()).as(name).isEqualTo(expected.getGroup());
				assertThat(actual.getHelp()).as(name).isEqualTo(expected.getHelp());
				assertThat(actual.isHidden()).as(name).isEqualTo(expected.isHidden());
				assertThat(actual.getAliases()).as(name).isEqualTo(expected.getAliases());
				assertThat(options(actual)).as(name).isEqualTo(options(expected));
			});
		}
	}

	@Test
	void declareNoConstraintsAndSpellOutPrimitiveDefaults() {
		for (Object target : TARGETS) {
			for (Method method : target.getClass().getDeclaredMethods()) {
				if (!method.isAnnotationPresent(org.springframework.shell.core.command.annotation.Command.class)) {
					continue;
				}
				for (Parameter parameter : method.getParameters()) {
					for (Annotation annotation : parameter.getAnnotations()) {
						assertThat(annotation.annotationType().isAnnotationPresent(Constraint.class)
								|| annotation instanceof Valid)
							.as(method + " " + parameter)
							.isFalse();
					}
					Option option = parameter.getAnnotation(Option.class);
					if (option != null && parameter.getType().isPrimitive()) {
						// Spring Shell's own default for a primitive comes from a class
						// whose
						// initializer starts Hibernate Validator.
						assertThat(option.defaultValue()).as(method + " " + parameter).isNotEmpty();
					}
				}
			}
		}
	}

	private static Map<String, Command> byName(CommandRegistry registry) {
		return registry.getCommands()
			.stream()
			.collect(Collectors.toMap(Command::getName, Function.identity(), (first, second) -> first, TreeMap::new));
	}

	private static List<List<String>> options(Command command) {
		return command.getOptions()
			.stream()
			.map((option) -> Arrays.asList(option.longName(), String.valueOf(option.shortName()), option.description(),
					String.valueOf(option.required()), option.defaultValue(), String.valueOf(option.type())))
			.toList();
	}

}
