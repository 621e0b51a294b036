package io.jcilium.agent.service.lb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.jcilium.common.net.Protocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MaglevTest {

	private static final int M = 16381;

	@Test
	void everyBackendGetsItsShareOfTheTableWithinOneSlot() {
		for (int n : new int[] { 1, 2, 3, 5, 7, 100 }) {
			List<L4Address> table = Maglev.table(backends(n), M);
			assertThat(table).hasSize(M).doesNotContainNull();
			Map<L4Address, Long> counts = table.stream()
				.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
			assertThat(counts).hasSize(n);
			long min = Collections.min(counts.values());
			long max = Collections.max(counts.values());
			assertThat(max - min).as("slots per backend with %d backends", n).isLessThanOrEqualTo(1);
		}
	}

	@Test
	void theTableDependsOnTheBackendsNotOnTheirOrder() {
		List<L4Address> backends = backends(7);
		List<L4Address> shuffled = new ArrayList<>(backends);
		Collections.shuffle(shuffled, new Random(7));
		assertThat(shuffled).isNotEqualTo(backends);
		assertThat(Maglev.table(shuffled, M)).isEqualTo(Maglev.table(backends, M));
	}

	@Test
	void removingABackendMovesFewSlotsOfTheOthers() {
		List<L4Address> before = backends(10);
		List<L4Address> after = before.subList(1, 10);
		List<L4Address> old = Maglev.table(before, M);
		List<L4Address> now = Maglev.table(after, M);
		long keptBackendMoved = IntStream.range(0, M)
			.filter((slot) -> !old.get(slot).equals(before.get(0)) && !old.get(slot).equals(now.get(slot)))
			.count();
		// A modulo hash would move about 90% of them; the Maglev paper measures a few
		// percent.
		assertThat(keptBackendMoved).as("slots of remaining backends that changed owner").isLessThan(M / 20);
		assertThat(IntStream.range(0, M).filter((slot) -> old.get(slot).equals(before.get(0))))
			.as("the removed backend's slots go to the others")
			.allMatch((slot) -> after.contains(now.get(slot)));
	}

	@Test
	void noBackendsGiveNoTable() {
		assertThat(Maglev.table(List.of(), 251)).isEmpty();
	}

	@Test
	void aTableSizeMustBeASupportedPrime() {
		assertThat(Maglev.isValidTableSize(251)).isTrue();
		assertThat(Maglev.isValidTableSize(Maglev.DEFAULT_TABLE_SIZE)).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> Maglev.table(backends(2), 1000))
			.withMessageContaining("prime")
			.withMessageContaining("1000");
		assertThatIllegalArgumentException().isThrownBy(() -> Maglev.table(backends(2), 7))
			.withMessageContaining("between 251");
	}

	static List<L4Address> backends(int n) {
		return IntStream.range(0, n)
			.mapToObj((i) -> L4Address.of("10.9." + (i / 250) + "." + (i % 250 + 1), 8080, Protocol.TCP))
			.toList();
	}

}
