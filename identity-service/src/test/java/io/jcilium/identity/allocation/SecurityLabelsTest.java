package io.jcilium.identity.allocation;

import java.util.List;

import io.jcilium.common.label.LabelFilter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecurityLabelsTest {

	private final SecurityLabels defaults = new SecurityLabels(LabelFilter.defaults());

	@Test
	void keepsWhatUpstreamsDefaultFilterKeepsSortedBySourceAndKey() {
		assertThat(this.defaults.canonicalise(List.of("k8s:io.kubernetes.pod.namespace=prod", "k8s:app=web",
				"k8s:controller-uid=1234", "k8s:statefulset.kubernetes.io/pod-name=web-0",
				"k8s:app.kubernetes.io/name=shop", "cidr:10.0.0.0/8")))
			.containsExactly("cidr:10.0.0.0/8", "k8s:app=web", "k8s:app.kubernetes.io/name=shop",
					"k8s:io.kubernetes.pod.namespace=prod");
	}

	@Test
	void configuredPatternsNarrowTheLabelsAsUpstreamsLabelsOption() {
		SecurityLabels noTeam = new SecurityLabels(LabelFilter.withPatterns(List.of("k8s:!team")));
		assertThat(noTeam.canonicalise(List.of("k8s:app=web", "k8s:team=blue"))).containsExactly("k8s:app=web");
	}

	@Test
	void keepsTheWireRulesStricterThanTheLabelModel() {
		assertThatThrownBy(() -> this.defaults.canonicalise(List.of("any:app=web")))
			.isInstanceOf(InvalidIdentityRequestException.class)
			.hasMessageContaining("source 'any'");
		assertThatThrownBy(() -> this.defaults.canonicalise(List.of("k8s:app;x")))
			.hasMessageContaining("key 'app;x' contains ';'");
		assertThatThrownBy(() -> this.defaults.canonicalise(List.of("k8s:app=we b")))
			.hasMessageContaining("'k8s:app=we b' is malformed");
		// Change messages between replicas are one line per identity: a label never
		// carries a line break into them.
		assertThatThrownBy(() -> this.defaults.canonicalise(List.of("k8s:app=web\nU 9 300 k8s:app=db")))
			.isInstanceOf(InvalidIdentityRequestException.class)
			.hasMessageContaining("whitespace");
		assertThatThrownBy(() -> this.defaults.canonicalise(List.of("k8s:a\npp=web")))
			.isInstanceOf(InvalidIdentityRequestException.class)
			.hasMessageContaining("invalid key");
		assertThatThrownBy(() -> this.defaults.canonicalise(List.of("k8s:app=web", "unspec:app=db")))
			.hasMessageContaining("give the key app two values");
	}

}
