package io.jcilium.agent.hubble.enrich;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jcilium.common.label.Labels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Labels rendered once per identity, but never stale: an identity number that comes back
 * with other labels shows them, one that is gone shows none.
 */
class CachedIdentityLabelsTest {

	private final Map<Long, Labels> identities = new HashMap<>();

	private final CachedIdentityLabels labels = new CachedIdentityLabels(
			(id) -> Optional.ofNullable(this.identities.get(id)));

	@Test
	void rendersSortedOnceAndFollowsTheSource() {
		this.identities.put(4101L, Labels.parse(List.of("k8s:io.kubernetes.pod.namespace=shop", "k8s:app=backend")));
		List<String> first = this.labels.labelsOf(4101);
		assertThat(first).containsExactly("k8s:app=backend", "k8s:io.kubernetes.pod.namespace=shop");
		assertThat(this.labels.labelsOf(4101)).isSameAs(first);

		// Released and allocated again to other labels.
		this.identities.put(4101L, Labels.parse(List.of("k8s:app=db", "k8s:io.kubernetes.pod.namespace=shop")));
		assertThat(this.labels.labelsOf(4101)).containsExactly("k8s:app=db", "k8s:io.kubernetes.pod.namespace=shop");

		this.identities.remove(4101L);
		assertThat(this.labels.labelsOf(4101)).isEmpty();
	}

}
