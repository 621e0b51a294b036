package io.jcilium.cli.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table the way {@code cilium} and {@code kubectl} print them: a header row
 * of upper-case column names, columns left-aligned and padded to their widest cell,
 * separated by three spaces, no trailing blanks. Plain text on purpose: it pipes into
 * {@code grep}, {@code awk} and files unchanged.
 */
public final class TextTable {

	private static final String SEPARATOR = "   ";

	private final List<String> headers;

	private final List<List<String>> rows = new ArrayList<>();

	public TextTable(String... headers) {
		if (headers.length == 0) {
			throw new IllegalArgumentException("a table needs at least one column");
		}
		this.headers = List.of(headers);
	}

	/**
	 * Adds a row; {@code null} cells print empty.
	 * @throws IllegalArgumentException if the row does not have one cell per column
	 */
	public TextTable row(String... cells) {
		if (cells.length != this.headers.size()) {
			throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + this.headers.size()
					+ " columns: " + this.headers);
		}
		this.rows.add(Arrays.stream(cells).map((cell) -> (cell != null) ? cell.replaceAll("\\s+", " ") : "").toList());
		return this;
	}

	/**
	 * The table as text, one line per row, each ending with a line feed.
	 */
	public String render() {
		int[] widths = new int[this.headers.size()];
		for (List<String> row : allRows()) {
			for (int column = 0; column < widths.length; column++) {
				widths[column] = Math.max(widths[column], row.get(column).length());
			}
		}
		StringBuilder text = new StringBuilder();
		for (List<String> row : allRows()) {
			StringBuilder line = new StringBuilder();
			for (int column = 0; column < widths.length; column++) {
				String cell = row.get(column);
				line.append(cell);
				if (column < widths.length - 1) {
					line.append(" ".repeat(widths[column] - cell.length())).append(SEPARATOR);
				}
			}
			text.append(line.toString().stripTrailing()).append('\n');
		}
		return text.toString();
	}

	private List<List<String>> allRows() {
		List<List<String>> all = new ArrayList<>(this.rows.size() + 1);
		all.add(this.headers);
		all.addAll(this.rows);
		return all;
	}

}
