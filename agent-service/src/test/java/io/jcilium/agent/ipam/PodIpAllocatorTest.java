package io.jcilium.agent.ipam;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PodIpAllocatorTest {

	@Test
	void ipv4NeverHandsOutNetworkGatewayOrBroadcastAndExhaustsNamingTheCidr() {
		PodIpAllocator allocator = new PodIpAllocator("10.0.1.0/24");
		Set<String> handedOut = new HashSet<>();
		for (int i = 0; i < 253; i++) {
			handedOut.add(text(allocator.allocate(owner("c" + i)).ip()));
		}
		assertThat(handedOut).hasSize(253).doesNotContain("10.0.1.0", "10.0.1.1", "10.0.1.255");
		assertThat(handedOut).contains("10.0.1.2", "10.0.1.254");
		assertThat(allocator.gateway()).isEqualTo(ip("10.0.1.1"));
		assertThatExceptionOfType(PodIpExhaustedException.class).isThrownBy(() -> allocator.allocate(owner("one-more")))
			.withMessageContaining("10.0.1.0/24")
			.withMessageContaining("253");
	}

	@Test
	void ipv6NeverHandsOutTheReservedAddresses() {
		PodIpAllocator allocator = new PodIpAllocator("fd00:0:0:1::/126");
		assertThat(text(allocator.allocate(owner("a")).ip())).isEqualTo("fd00:0:0:1::2");
		assertThatExceptionOfType(PodIpExhaustedException.class).isThrownBy(() -> allocator.allocate(owner("b")));
		assertThatIllegalArgumentException().isThrownBy(() -> allocator.allocate(ip("fd00:0:0:1::1"), owner("b")))
			.withMessageContaining("reserved");
	}

	@Test
	void ipv6SlashSixtyFourAllocatesFromTheStart() {
		PodIpAllocator allocator = new PodIpAllocator("fd00:10:244:1::/64");
		assertThat(text(allocator.allocate(owner("a")).ip())).isEqualTo("fd00:10:244:1::2");
		assertThat(text(allocator.allocate(owner("b")).ip())).isEqualTo("fd00:10:244:1::3");
		assertThat(allocator.gateway()).isEqualTo(ip("fd00:10:244:1::1"));
	}

	@Test
	void cidrsWithNoRoomForPodsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PodIpAllocator("10.0.1.0/31"))
			.withMessageContaining("too small");
		assertThatIllegalArgumentException().isThrownBy(() -> new PodIpAllocator("10.0.1.0/32"));
		assertThat(new PodIpAllocator("10.0.1.0/30").available()).isEqualTo(1);
	}

	@Test
	void retriedAddForTheSameContainerGetsTheSameAddress() {
		PodIpAllocator allocator = new PodIpAllocator("10.0.1.0/24");
		PodIpAllocation first = allocator.allocate(owner("c1"));
		assertThat(allocator.allocate(owner("c1"))).isEqualTo(first);
		assertThat(allocator.allocations()).hasSize(1);
	}

	@Test
	void staleDelForAnOldContainerDoesNotFreeTheAddressOfItsSuccessor() {
		// A /30 has one pod address, so the successor is certain to get the same IP.
		PodIpAllocator allocator = new PodIpAllocator("10.0.1.0/30");
		InetAddress address = allocator.allocate(owner("old-pod")).ip();
		assertThat(allocator.release(address, owner("old-pod"))).isTrue();
		assertThat(allocator.allocate(owner("new-pod")).ip()).isEqualTo(address);

		assertThat(allocator.release(address, owner("old-pod"))).as("duplicate DEL by ip").isFalse();
		assertThat(allocator.release(owner("old-pod"))).as("duplicate DEL by container id").isEmpty();
		assertThat(allocator.ownerOf(address)).contains(owner("new-pod"));
		assertThatExceptionOfType(PodIpExhaustedException.class).isThrownBy(() -> allocator.allocate(owner("third")));
	}

	@Test
	void releaseByContainerIdFreesItsAddressOnce() {
		PodIpAllocator allocator = new PodIpAllocator("10.0.1.0/24");
		InetAddress address = allocator.allocate(owner("c1")).ip();
		assertThat(allocator.release(owner("c1"))).contains(address);
		assertThat(allocator.release(owner("c1"))).isEmpty();
		assertThat(allocator.ownerOf(address)).isEmpty();
		assertThat(allocator.available()).isEqualTo(253);
	}

	@Test
	void releasedAddressesAreReusedLast() {
		PodIpAllocator allocator = new PodIpAllocator("10.0.1.0/24");
		InetAddress first = allocator.allocate(owner("a")).ip();
		allocator.release(owner("a"));
		assertThat(allocator.allocate(owner("b")).ip()).isNotEqualTo(first);
	}

	@Test
	void specificAddressRequestsRespectOwnership() {
		PodIpAllocator allocator = new PodIpAllocator("10.0.1.0/24");
		allocator.allocate(ip("10.0.1.50"), owner("a"));
		assertThat(allocator.allocate(ip("10.0.1.50"), owner("a")).owner()).isEqualTo(owner("a"));
		assertThatExceptionOfType(PodIpConflictException.class)
			.isThrownBy(() -> allocator.allocate(ip("10.0.1.50"), owner("b")))
			.withMessageContaining("in use by container a/eth0");
		assertThatExceptionOfType(PodIpConflictException.class)
			.isThrownBy(() -> allocator.allocate(ip("10.0.1.51"), owner("a")))
			.withMessageContaining("already holds 10.0.1.50");
		assertThatIllegalArgumentException().isThrownBy(() -> allocator.allocate(ip("10.0.2.1"), owner("c")))
			.withMessageContaining("outside");
		assertThatIllegalArgumentException().isThrownBy(() -> allocator.allocate(ip("10.0.1.255"), owner("c")))
			.withMessageContaining("reserved");
	}

	@Test
	void restoreTakesBackExactlyThePersistedAllocations() {
		PodIpAllocator before = new PodIpAllocator("10.0.1.0/24");
		for (int i = 0; i < 10; i++) {
			before.allocate(owner("c" + i));
		}
		before.release(owner("c3"));
		before.release(owner("c7"));
		List<PodIpAllocation> persisted = before.allocations();

		PodIpAllocator after = new PodIpAllocator("10.0.1.0/24");
		after.allocate(owner("left-over-from-a-previous-life"));
		RestoreResult result = after.restore(persisted);

		assertThat(result.rejected()).isEmpty();
		assertThat(after.allocations()).containsExactlyElementsOf(persisted);
		assertThat(after.ownerOf(ip("10.0.1.2"))).contains(owner("c0"));
		assertThat(after.available()).isEqualTo(253 - 8);
		Set<InetAddress> inUse = new HashSet<>();
		persisted.forEach((allocation) -> inUse.add(allocation.ip()));
		for (int i = 0; i < 20; i++) {
			assertThat(inUse.add(after.allocate(owner("new" + i)).ip())).isTrue();
		}
	}

	@Test
	void restoreReportsEntriesItCannotHonour() {
		PodIpAllocator allocator = new PodIpAllocator("10.0.1.0/24");
		RestoreResult result = allocator.restore(List.of(new PodIpAllocation(ip("10.0.1.5"), owner("a")),
				new PodIpAllocation(ip("10.0.1.5"), owner("b")), new PodIpAllocation(ip("10.0.1.6"), owner("a")),
				new PodIpAllocation(ip("10.0.2.5"), owner("c")), new PodIpAllocation(ip("10.0.1.1"), owner("d"))));
		assertThat(result.restored()).containsExactly(new PodIpAllocation(ip("10.0.1.5"), owner("a")));
		assertThat(result.rejected()).satisfiesExactly(
				(line) -> assertThat(line).contains("10.0.1.5 b/eth0", "already restored for container a/eth0"),
				(line) -> assertThat(line).contains("10.0.1.6 a/eth0", "container already restored with 10.0.1.5"),
				(line) -> assertThat(line).contains("outside node CIDR"),
				(line) -> assertThat(line).contains("reserved"));
	}

	@Test
	void concurrentAllocationsNeverCollide() throws Exception {
		PodIpAllocator allocator = new PodIpAllocator("10.1.0.0/16");
		int threads = 8;
		int perThread = 2000;
		List<List<PodIpAllocation>> results = new ArrayList<>();
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			List<PodIpAllocation> mine = new ArrayList<>();
			results.add(mine);
			int id = t;
			workers.add(start(() -> {
				for (int i = 0; i < perThread; i++) {
					mine.add(allocator.allocate(owner("t" + id + "-" + i)));
				}
			}));
		}
		for (Thread worker : workers) {
			worker.join();
		}
		Set<InetAddress> all = new HashSet<>();
		results.forEach((list) -> list.forEach((allocation) -> all.add(allocation.ip())));
		assertThat(all).hasSize(threads * perThread);
		assertThat(allocator.allocations()).hasSize(threads * perThread);
	}

	@Test
	void concurrentChurnNeverGivesOneAddressToTwoLivePods() throws Exception {
		// A small CIDR under allocate/release churn forces constant reuse of addresses.
		PodIpAllocator allocator = new PodIpAllocator("10.2.0.0/27");
		List<Thread> workers = new ArrayList<>();
		List<String> violations = Collections.synchronizedList(new ArrayList<>());
		for (int t = 0; t < 8; t++) {
			int id = t;
			workers.add(start(() -> {
				for (int i = 0; i < 5000; i++) {
					String container = "t" + id + "-" + i;
					InetAddress address = allocator.allocate(owner(container)).ip();
					if (!owner(container).equals(allocator.ownerOf(address).orElse(null))) {
						violations.add(container + " lost " + text(address));
					}
					allocator.release(address, owner("t" + ((id + 1) % 8) + "-" + i));
					allocator.release(address, owner(container));
				}
			}));
		}
		for (Thread worker : workers) {
			worker.join();
		}
		assertThat(violations).isEmpty();
		assertThat(allocator.allocations()).isEmpty();
	}

	@Test
	void eachInterfaceOfAContainerHasItsOwnAddressAndReleasesOnlyThat() {
		PodIpAllocator allocator = new PodIpAllocator("10.0.1.0/24");
		InetAddress eth0 = allocator.allocate(new PodIpOwner("pod", "eth0")).ip();
		InetAddress eth1 = allocator.allocate(new PodIpOwner("pod", "eth1")).ip();
		assertThat(eth1).isNotEqualTo(eth0);

		assertThat(allocator.release(new PodIpOwner("pod", "eth1"))).contains(eth1);
		assertThat(allocator.ownerOf(eth0)).contains(new PodIpOwner("pod", "eth0"));
		assertThat(allocator.release(eth0, new PodIpOwner("pod", "eth1"))).isFalse();
		assertThat(allocator.ownerOf(eth0)).contains(new PodIpOwner("pod", "eth0"));
	}

	static PodIpOwner owner(String containerId) {
		return new PodIpOwner(containerId, "eth0");
	}

	static Thread start(Runnable work) {
		Thread thread = new Thread(work);
		thread.start();
		return thread;
	}

	static InetAddress ip(String text) {
		try {
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	static String text(InetAddress address) {
		return PodCidr.format(address);
	}

}
