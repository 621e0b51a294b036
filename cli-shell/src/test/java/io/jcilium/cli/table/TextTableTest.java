package io.jcilium.cli.table;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TextTableTest {

	@Test
	void padsEachColumnToItsWidestCellAndLeavesNoTrailingBlanks() {
		String text = new TextTable("SERVICE", "URL", "STATUS").row("identity", "http://localhost:8281", "UP")
			.row("bgp", "http://localhost:8283", "UNREACHABLE")
			.render();

		assertThat(text).isEqualTo("""
				SERVICE    URL                     STATUS
				identity   http://localhost:8281   UP
				bgp        http://localhost:8283   UNREACHABLE
				""");
	}

	@Test
	void anEmptyLastColumnLeavesNoTrailingBlanks() {
		String text = new TextTable("A", "DETAILS").row("x", "").row("y", null).render();

		assertThat(text.lines()).containsExactly("A   DETAILS", "x", "y");
	}

	@Test
	void aTableWithoutRowsIsItsHeader() {
		assertThat(new TextTable("SERVICE", "STATUS").render()).isEqualTo("SERVICE   STATUS\n");
	}

	@Test
	void lineBreaksInsideACellCannotBreakTheLayout() {
		String text = new TextTable("A", "B").row("x", "first line\nsecond\tline").render();

		assertThat(text.lines()).containsExactly("A   B", "x   first line second line");
	}

	@Test
	void rejectsARowWithTheWrongNumberOfCells() {
		TextTable table = new TextTable("A", "B");

		assertThatIllegalArgumentException().isThrownBy(() -> table.row("only one"))
			.withMessageContaining("1 cells")
			.withMessageContaining("2 columns");
	}

}
