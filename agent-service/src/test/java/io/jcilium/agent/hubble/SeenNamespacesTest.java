package io.jcilium.agent.hubble;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Namespaces stay listed for an hour after their last flow, as upstream's namespace
 * manager keeps them, and a flow without a namespace (world, host) adds none.
 */
class SeenNamespacesTest {

	private static final long HOUR = SeenNamespaces.TTL.toMillis();

	@Test
	void aNamespaceIsForgottenAnHourAfterItsLastFlow() {
		SeenNamespaces namespaces = new SeenNamespaces();
		namespaces.seen("shop", 0);
		namespaces.seen("bank", 0);
		namespaces.seen("", 0);
		namespaces.seen("shop", HOUR / 2);

		assertThat(namespaces.namespaces(HOUR)).containsExactly("bank", "shop");
		assertThat(namespaces.namespaces(HOUR + 1)).containsExactly("shop");
		assertThat(namespaces.namespaces(HOUR / 2 + HOUR + 1)).isEmpty();
	}

}
