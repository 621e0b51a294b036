package io.jcilium.agent.ipam;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class PodIpAllocationsFileTest {

	@TempDir
	Path directory;

	@Test
	void restartRestoresExactlyTheAddressesInUse() throws Exception {
		Path file = this.directory.resolve("ipam-state");
		PodIpAllocator before = new PodIpAllocator("fd00:0:0:1::/120");
		before.allocate(owner("a", "eth0"));
		before.allocate(owner("b", "eth0"));
		before.allocate(owner("c", "eth0"));
		before.allocate(owner("c", "net1"));
		before.release(owner("b", "eth0"));
		PodIpAllocationsFile.write(file, before.allocations());

		PodIpAllocator after = new PodIpAllocator("fd00:0:0:1::/120");
		PodIpAllocationsFile.Content content = PodIpAllocationsFile.read(file);
		RestoreResult result = after.restore(content.allocations());

		assertThat(content.problems()).isEmpty();
		assertThat(result.rejected()).isEmpty();
		assertThat(after.allocations()).containsExactlyElementsOf(before.allocations());
		assertThat(Files.readString(file)).contains(
				"\"ip\":\"fd00:0:0:1::2\",\"containerId\":\"a\",\"ifName\":\"eth0\"",
				"\"ip\":\"fd00:0:0:1::5\",\"containerId\":\"c\",\"ifName\":\"net1\"");
		try (var leftovers = Files.list(this.directory)) {
			assertThat(leftovers).containsExactly(file);
		}
	}

	@Test
	void aMissingFileIsAFirstStartWithNoAllocations() throws Exception {
		assertThat(PodIpAllocationsFile.read(this.directory.resolve("absent")).allocations()).isEmpty();
	}

	@Test
	void idsWithWhitespaceOrLineBreaksCannotSplitOrMergeEntries() throws Exception {
		Path file = this.directory.resolve("ipam-state");
		PodIpAllocator before = new PodIpAllocator("10.0.1.0/24");
		before.allocate(owner("evil id\n10.0.1.3 other", "eth0"));
		before.allocate(owner("other", "eth0"));
		PodIpAllocationsFile.write(file, before.allocations());

		PodIpAllocationsFile.Content content = PodIpAllocationsFile.read(file);

		assertThat(content.problems()).isEmpty();
		assertThat(content.allocations()).containsExactlyElementsOf(before.allocations());
	}

	@Test
	void aDamagedLineIsReportedWithItsNumberAndTheOthersAreKept() throws Exception {
		Path file = this.directory.resolve("ipam-state");
		Files.writeString(file, "# header\n10.0.1.2 a\n10.0.1.3 id with spaces\n{\"ip\":\"10.0.1.4\",\"contai\n"
				+ "{\"ip\":\"10.0.1.5\",\"containerId\":\"e\",\"ifName\":\"eth1\"}\n{\"ip\":\"no\",\"containerId\":\"f\","
				+ "\"ifName\":\"eth0\"}\n");

		PodIpAllocationsFile.Content content = PodIpAllocationsFile.read(file);

		assertThat(content.allocations()).containsExactly(
				new PodIpAllocation(PodCidr.parseAddress("10.0.1.2"), owner("a", "eth0")),
				new PodIpAllocation(PodCidr.parseAddress("10.0.1.5"), owner("e", "eth1")));
		assertThat(content.problems()).satisfiesExactly((problem) -> assertThat(problem).contains(":3:"),
				(problem) -> assertThat(problem).contains(":4:", "not JSON"),
				(problem) -> assertThat(problem).contains(":6:", "'no'"));
	}

	private static PodIpOwner owner(String containerId, String ifName) {
		return new PodIpOwner(containerId, ifName);
	}

}
