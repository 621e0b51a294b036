package io.jcilium.api.crd.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;

/**
 * A build step after fabric8's CRD generator, which sorts
 * {@code additionalPrinterColumns} by JSON path: puts them back in the order the CRD
 * class declares them, which is the order {@code kubectl get} shows (upstream's, e.g.
 * Security Identity before Endpoint State). Works on the generated text, so nothing else
 * in the files changes.
 *
 * <p>
 * Arguments: the directory of generated CRD files, then the CRD classes' package.
 */
public final class PrinterColumnOrder {

	private static final String BLOCK = "  - additionalPrinterColumns:";

	private static final String ITEM = "    - ";

	private PrinterColumnOrder() {
	}

	public static void main(String[] args) throws IOException, ClassNotFoundException {
		List<Path> files;
		try (Stream<Path> listed = Files.list(Path.of(args[0]))) {
			files = listed.filter((file) -> file.toString().endsWith(".yml")).sorted().toList();
		}
		for (Path file : files) {
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			String kind = kind(lines);
			Class<?> type = findClass(args[1], kind);
			if (type == null || type.getAnnotationsByType(AdditionalPrinterColumn.class).length == 0) {
				continue;
			}
			List<String> order = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
				.map(AdditionalPrinterColumn::name)
				.toList();
			Files.write(file, reorder(lines, order), StandardCharsets.UTF_8);
		}
	}

	/** The lines with each version's column items in the given order of names. */
	static List<String> reorder(List<String> lines, List<String> order) {
		List<String> out = new ArrayList<>();
		int i = 0;
		while (i < lines.size()) {
			String line = lines.get(i++);
			out.add(line);
			if (!line.equals(BLOCK)) {
				continue;
			}
			List<List<String>> items = new ArrayList<>();
			while (i < lines.size() && (lines.get(i).startsWith("      ") || lines.get(i).startsWith(ITEM))) {
				if (lines.get(i).startsWith(ITEM)) {
					items.add(new ArrayList<>());
				}
				items.get(items.size() - 1).add(lines.get(i++));
			}
			items.sort(Comparator.comparingInt((item) -> position(order, name(item))));
			items.forEach(out::addAll);
		}
		return out;
	}

	private static int position(List<String> order, String name) {
		int at = order.indexOf(name);
		return (at < 0) ? order.size() : at;
	}

	private static String name(List<String> item) {
		for (String line : item) {
			String field = line.substring(ITEM.length()).strip();
			if (field.startsWith("name: ")) {
				return field.substring(6).replace("\"", "");
			}
		}
		return "";
	}

	private static String kind(List<String> lines) {
		for (String line : lines) {
			if (line.startsWith("    kind: ")) {
				return line.substring(10).replace("\"", "").strip();
			}
		}
		return "";
	}

	private static Class<?> findClass(String basePackage, String kind) throws ClassNotFoundException {
		for (String version : List.of("v2", "v2alpha1")) {
			try {
				return Class.forName(basePackage + "." + version + "." + kind);
			}
			catch (ClassNotFoundException ex) {
				// try the next version
			}
		}
		return null;
	}

}
