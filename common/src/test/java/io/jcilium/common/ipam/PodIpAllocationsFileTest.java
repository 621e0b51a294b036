package io.jcilium.common.ipam;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PodIpAllocationsFileTest {

	@TempDir
	Path directory;

	@Test
	void restartRestoresExactlyTheAddressesInUse() throws Exception {
		Path file = this.directory.resolve("ipam-state");
		PodIpAllocator before = new PodIpAllocator("fd00:0:0:1::/120");
		before.allocate("a");
		before.allocate("b");
		before.allocate("c");
		before.release("b");
		PodIpAllocationsFile.write(file, before.allocations());

		PodIpAllocator after = new PodIpAllocator("fd00:0:0:1::/120");
		RestoreResult result = after.restore(PodIpAllocationsFile.read(file));

		assertThat(result.rejected()).isEmpty();
		assertThat(after.allocations()).containsExactlyElementsOf(before.allocations());
		assertThat(Files.readString(file)).contains("fd00:0:0:1::2 a", "fd00:0:0:1::4 c");
		try (var leftovers = Files.list(this.directory)) {
			assertThat(leftovers).containsExactly(file);
		}
	}

	@Test
	void aMissingFileIsAFirstStartWithNoAllocations() throws Exception {
		assertThat(PodIpAllocationsFile.read(this.directory.resolve("absent"))).isEmpty();
	}

	@Test
	void aMalformedLineIsReportedWithItsLineNumber() throws Exception {
		Path file = this.directory.resolve("ipam-state");
		Files.writeString(file, "# header\n10.0.1.2 a\n10.0.1.3\n");
		assertThatIllegalArgumentException().isThrownBy(() -> PodIpAllocationsFile.read(file))
			.withMessageContaining(":3:");
	}

}
