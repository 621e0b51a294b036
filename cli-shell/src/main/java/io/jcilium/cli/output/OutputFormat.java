package io.jcilium.cli.output;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code -o}/{@code --output} of a command: the table people read, or the same data
 * as JSON or YAML for scripts (as upstream's {@code cilium-dbg ... -o json|yaml}). The
 * structured forms carry every field the command read, the table only the columns.
 */
public enum OutputFormat {

	/** Upstream's table, the default. */
	TABLE,

	/** Indented JSON. */
	JSON,

	/** Block-style YAML. */
	YAML;

	/**
	 * The format an {@code -o} option names.
	 * @param option the option's value; null or empty for the table
	 * @return the format
	 * @throws IllegalArgumentException (a usage error) if it names no format
	 */
	public static OutputFormat parse(String option) {
		if (option == null || option.isBlank()) {
			return TABLE;
		}
		String name = option.strip().toLowerCase(Locale.ROOT);
		if (name.equals("table")) {
			return TABLE;
		}
		if (name.equals("json") || name.equals("yaml")) {
			return valueOf(name.toUpperCase(Locale.ROOT));
		}
		throw new IllegalArgumentException("-o '" + option + "' is not an output format: use one of "
				+ Arrays.stream(values())
					.map((format) -> format.name().toLowerCase(Locale.ROOT))
					.collect(Collectors.joining(", ")));
	}

	/**
	 * Whether the command prints its table.
	 */
	public boolean table() {
		return this == TABLE;
	}

	/**
	 * Prints data in this structured format, ending with a line feed.
	 * @param out where to
	 * @param data what the command read
	 * @throws IllegalStateException for {@link #TABLE}, which each command renders itself
	 */
	public void print(PrintWriter out, JsonNode data) {
		switch (this) {
			case JSON -> out.println(JsonMapper.shared().writer().with(goStyle()).writeValueAsString(data));
			case YAML -> out.print(yaml().dump(JsonMapper.shared().convertValue(data, Object.class)));
			case TABLE -> throw new IllegalStateException("a table is rendered by its command");
		}
		out.flush();
	}

	/**
	 * JSON indented as upstream's Go CLIs print it ({@code json.MarshalIndent} with two
	 * spaces): {@code "name": value}, one array element per line, {@code []} when empty.
	 */
	private static DefaultPrettyPrinter goStyle() {
		DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
		Separators separators = Separators.createDefaultInstance()
			.withObjectNameValueSpacing(Separators.Spacing.AFTER)
			.withObjectEmptySeparator("")
			.withArrayEmptySeparator("");
		return new DefaultPrettyPrinter().withSeparators(separators)
			.withObjectIndenter(indenter)
			.withArrayIndenter(indenter);
	}

	// Block style as upstream's CLIs print YAML (sigs.k8s.io/yaml): a sequence inside a
	// mapping starts at the key's column.
	private static Yaml yaml() {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		return new Yaml(options);
	}

}
