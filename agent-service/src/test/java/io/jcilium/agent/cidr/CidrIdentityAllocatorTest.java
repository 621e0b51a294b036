package io.jcilium.agent.cidr;

import java.util.List;

import io.jcilium.common.label.Label;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.model.Identity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrIdentityAllocatorTest {

	private static final Cidr A = Cidr.parse("203.0.113.0/24");

	private static final Cidr B = Cidr.parse("203.0.113.128/25");

	private static final Cidr C = Cidr.parse("2001:db8::/32");

	@Test
	void prefixesGetLocalIdentitiesFromUpstreamsFirstLocalNumberWithCidrAndWorldLabels() {
		CidrIdentityAllocator allocator = new CidrIdentityAllocator();
		CidrIdentityAllocator.Change change = allocator.sync(List.of(B, A));
		assertThat(change.added()).extracting(Identity::id).containsExactlyInAnyOrder(16777217L, 16777218L);
		assertThat(change.released()).isEmpty();
		Identity a = allocator.identities().get(A);
		assertThat(a.cidr()).isEqualTo(A);
		assertThat(a.labels().contains(new Label(Label.SOURCE_CIDR, "203.0.113.0/24", ""))).isTrue();
		assertThat(a.labels().contains(new Label("reserved", "world", ""))).isTrue();
	}

	@Test
	void aKeptPrefixKeepsItsNumberAndAReleasedNumberIsNotGivenAgainAtOnce() {
		CidrIdentityAllocator allocator = new CidrIdentityAllocator();
		allocator.sync(List.of(A, B));
		long a = allocator.identities().get(A).id();
		long b = allocator.identities().get(B).id();
		CidrIdentityAllocator.Change change = allocator.sync(List.of(A, C));
		assertThat(change.released()).extracting(Identity::id).containsExactly(b);
		assertThat(change.added()).extracting(Identity::id).containsExactly(16777219L);
		assertThat(allocator.identities().get(A).id()).isEqualTo(a);
		assertThat(allocator.sync(List.of(A, C)).added()).as("nothing changes on a repeat").isEmpty();
	}

	@Test
	void numbersWrapAroundSkippingThoseInUse() {
		CidrIdentityAllocator allocator = new CidrIdentityAllocator(3);
		allocator.sync(List.of(A, B, C));
		long b = allocator.identities().get(B).id();
		allocator.sync(List.of(B));
		CidrIdentityAllocator.Change change = allocator.sync(List.of(A, B, C));
		List<Long> others = List.of(16777217L, 16777218L, 16777219L).stream().filter((id) -> id != b).toList();
		assertThat(change.added()).extracting(Identity::id).containsExactlyInAnyOrderElementsOf(others);
		assertThat(allocator.identities().get(B).id()).isEqualTo(b);
	}

	@Test
	void exhaustionIsReportedAndChangesNothing() {
		CidrIdentityAllocator allocator = new CidrIdentityAllocator(2);
		allocator.sync(List.of(A));
		assertThatThrownBy(() -> allocator.sync(List.of(A, B, C))).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("2 new CIDR identities but only 1");
		assertThat(allocator.identities()).containsOnlyKeys(A);
	}

}
