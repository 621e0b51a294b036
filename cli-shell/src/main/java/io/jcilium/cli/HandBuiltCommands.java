package io.jcilium.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.executable.ExecutableValidator;
import jakarta.validation.metadata.BeanDescriptor;

import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.adapter.MethodInvokerCommandAdapter;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.shell.core.command.availability.AvailabilityProvider;

/**
 * Spring Shell's commands made from the console's annotated methods without an
 * application context: the same {@link MethodInvokerCommandAdapter} (argument binding,
 * conversion, {@code --help}) that Spring Shell's {@code CommandFactoryBean} builds for
 * each {@code @Command} method, with the name, description, group, help, aliases and
 * options read from the same annotations the same way.
 * <p>
 * Two parts of the context are not needed: a conversion service bean (the context has
 * none either, so Spring Shell also falls back to a {@link DefaultConversionService}),
 * and Bean Validation. Spring Shell's default validator bootstraps Hibernate Validator, a
 * few hundred classes, to find that no command parameter declares a constraint;
 * {@link NoConstraints} states that instead, and {@code HandBuiltCommandsTest} checks it
 * stays true.
 */
final class HandBuiltCommands {

	private HandBuiltCommands() {
	}

	static CommandRegistry registry(List<Object> targets) {
		DefaultConversionService conversion = new DefaultConversionService();
		Set<Command> commands = new LinkedHashSet<>();
		for (Object target : targets) {
			for (Method method : target.getClass().getDeclaredMethods()) {
				var annotation = method.getAnnotation(org.springframework.shell.core.command.annotation.Command.class);
				if (annotation != null) {
					commands.add(command(target, method, annotation, conversion));
				}
			}
		}
		return new CommandRegistry(commands);
	}

	private static Command command(Object target, Method method,
			org.springframework.shell.core.command.annotation.Command annotation, DefaultConversionService conversion) {
		String name = String.join(" ", annotation.name());
		if (name.isEmpty() || annotation.group().isEmpty()) {
			// Spring Shell derives both from Java names then; every console command
			// spells them out, so nothing here repeats that rule.
			throw new IllegalStateException(method + " needs an explicit name and group");
		}
		String description = annotation.description().isEmpty() ? "N/A" : annotation.description();
		MethodInvokerCommandAdapter command = new MethodInvokerCommandAdapter(name, description, annotation.group(),
				annotation.help(), annotation.hidden(), method, target, conversion, NoConstraints.INSTANCE);
		command.setAliases(Arrays.stream(annotation.alias()).toList());
		command.setOptions(options(method));
		command.setAvailabilityProvider(AvailabilityProvider.alwaysAvailable());
		return command;
	}

	private static List<CommandOption> options(Method method) {
		List<CommandOption> options = new ArrayList<>();
		for (Parameter parameter : method.getParameters()) {
			Option option = parameter.getAnnotation(Option.class);
			if (option != null) {
				options.add(CommandOption.with()
					.shortName(option.shortName())
					.longName(option.longName().isEmpty() ? parameter.getName() : option.longName())
					.description(option.description())
					.required(option.required())
					.defaultValue(option.defaultValue())
					.type(parameter.getType())
					.build());
			}
		}
		return options;
	}

	/**
	 * The validator of methods whose parameters declare no Bean Validation constraint:
	 * every call is valid.
	 */
	static final class NoConstraints implements Validator, ExecutableValidator {

		static final NoConstraints INSTANCE = new NoConstraints();

		@Override
		public <T> Set<ConstraintViolation<T>> validateParameters(T object, Method method, Object[] parameterValues,
				Class<?>... groups) {
			return Set.of();
		}

		@Override
		public <T> Set<ConstraintViolation<T>> validateReturnValue(T object, Method method, Object returnValue,
				Class<?>... groups) {
			return Set.of();
		}

		@Override
		public <T> Set<ConstraintViolation<T>> validateConstructorParameters(Constructor<? extends T> constructor,
				Object[] parameterValues, Class<?>... groups) {
			return Set.of();
		}

		@Override
		public <T> Set<ConstraintViolation<T>> validateConstructorReturnValue(Constructor<? extends T> constructor,
				T createdObject, Class<?>... groups) {
			return Set.of();
		}

		@Override
		public <T> Set<ConstraintViolation<T>> validate(T object, Class<?>... groups) {
			return Set.of();
		}

		@Override
		public <T> Set<ConstraintViolation<T>> validateProperty(T object, String propertyName, Class<?>... groups) {
			return Set.of();
		}

		@Override
		public <T> Set<ConstraintViolation<T>> validateValue(Class<T> beanType, String propertyName, Object value,
				Class<?>... groups) {
			return Set.of();
		}

		@Override
		public BeanDescriptor getConstraintsForClass(Class<?> clazz) {
			throw new UnsupportedOperationException("commands are validated per call only");
		}

		@Override
		public <T> T unwrap(Class<T> type) {
			throw new jakarta.validation.ValidationException("no provider behind " + getClass().getName());
		}

		@Override
		public ExecutableValidator forExecutables() {
			return this;
		}

	}

}
