package io.jcilium.cli.hubble;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.jcilium.api.hubble.observer.Namespace;
import io.jcilium.cli.table.TextTable;

/**
 * {@code hubble list namespaces} as upstream prints it: {@code table} (NAMESPACE),
 * {@code wide} (NAMESPACE, CLUSTER) or {@code json} (the list indented by two, as Go's
 * {@code json.MarshalIndent}; {@code null} when there is none, as upstream prints an
 * empty list). In the order the server sends them (sorted by agents and relay alike).
 */
final class NamespacesOutput {

	private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames();

	private NamespacesOutput() {
	}

	/**
	 * @throws IllegalArgumentException for a format upstream does not have
	 */
	static String render(String format, List<Namespace> namespaces) {
		return switch (format.toLowerCase(Locale.ROOT)) {
			case "table" -> table(namespaces, false);
			case "wide" -> table(namespaces, true);
			case "json" -> json(namespaces);
			default -> throw new IllegalArgumentException("--output '" + format + "' is not one of json, table, wide");
		};
	}

	private static String table(List<Namespace> namespaces, boolean wide) {
		TextTable table = wide ? new TextTable("NAMESPACE", "CLUSTER") : new TextTable("NAMESPACE");
		for (Namespace namespace : namespaces) {
			if (wide) {
				table.row(namespace.getNamespace(), namespace.getCluster());
			}
			else {
				table.row(namespace.getNamespace());
			}
		}
		return table.render();
	}

	private static String json(List<Namespace> namespaces) {
		if (namespaces.isEmpty()) {
			return "null\n";
		}
		return namespaces.stream()
			.map(NamespacesOutput::print)
			.map((object) -> object.indent(2).stripTrailing())
			.collect(Collectors.joining(",\n", "[\n", "\n]\n"));
	}

	private static String print(Namespace namespace) {
		try {
			return JSON.print(namespace);
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException("a namespace cannot be printed as JSON", ex);
		}
	}

}
