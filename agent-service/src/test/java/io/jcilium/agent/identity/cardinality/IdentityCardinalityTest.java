package io.jcilium.agent.identity.cardinality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.agent.identity.cardinality.IdentityCardinality.Finding;
import io.jcilium.common.label.Labels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guard against labels that make identities multiply, over label sets as the agents
 * send them: a per-pod request id in one namespace is found, the apps and the namespace's
 * own labels are not, and the watch warns once per finding, keeps a gauge per finding and
 * warns again when one comes back.
 */
class IdentityCardinalityTest {

	private final Map<Long, Labels> identities = new HashMap<>();

	private long next = 256;

	@Test
	void aLabelUniquePerPodIsFoundInItsNamespaceOnly() {
		for (int pod = 0; pod < 70; pod++) {
			add("shop", "k8s:app=web", "k8s:request-id=r-" + pod);
		}
		for (int app = 0; app < 10; app++) {
			add("bank", "k8s:app=app-" + app, "k8s:tier=backend");
		}

		List<Finding> findings = IdentityCardinality.find(this.identities, 64);

		assertThat(findings).singleElement().satisfies((finding) -> {
			assertThat(finding.namespace()).isEqualTo("shop");
			assertThat(finding.label()).isEqualTo("k8s:request-id");
			assertThat(finding.values()).isEqualTo(70);
			assertThat(finding.identities()).isEqualTo(70);
			assertThat(finding.examples()).hasSize(3).allMatch((value) -> value.startsWith("r-"));
			assertThat(finding.exclusion()).isEqualTo("k8s:!request-id$");
		});
	}

	@Test
	void belowTheThresholdNothingIsFoundAndSharedLabelsNeverCount() {
		for (int pod = 0; pod < 63; pod++) {
			add("shop", "k8s:request-id=r-" + pod);
		}
		// the namespace's own labels differ per namespace, never within one
		for (int ns = 0; ns < 80; ns++) {
			add("ns-" + ns, "k8s:app=web");
		}

		assertThat(IdentityCardinality.find(this.identities, 64)).isEmpty();
	}

	@Test
	void theWatchWarnsOncePerFindingKeepsAGaugeAndWarnsAgainWhenItComesBack() {
		List<Finding> warned = new ArrayList<>();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		CardinalityWatch watch = new CardinalityWatch(() -> Map.copyOf(this.identities), 8, warned::add, meters);
		for (int pod = 0; pod < 10; pod++) {
			add("shop", "k8s:app=web", "k8s:request-id=r-" + pod);
		}

		watch.check();
		watch.check();

		assertThat(warned).extracting(Finding::label).containsExactly("k8s:request-id");
		assertThat(meters.get(CardinalityWatch.METRIC)
			.tags("namespace", "shop", "label", "k8s:request-id")
			.gauge()
			.value()).isEqualTo(10.0);

		this.identities.clear();
		watch.check();
		assertThat(watch.findings()).isEmpty();
		assertThat(meters.find(CardinalityWatch.METRIC).gauges()).isEmpty();

		for (int pod = 0; pod < 9; pod++) {
			add("shop", "k8s:request-id=r-" + pod);
		}
		watch.check();
		assertThat(warned).hasSize(2);
	}

	@Test
	void aThresholdThatWouldFlagEveryLabelIsRefused() {
		assertThatThrownBy(() -> new CardinalityWatch(Map::of, 1, (finding) -> {
		}, new SimpleMeterRegistry())).hasMessageContaining("jcilium.agent.identity.cardinality.threshold");
	}

	private void add(String namespace, String... labels) {
		List<String> all = new ArrayList<>(List.of(labels));
		all.add("k8s:io.kubernetes.pod.namespace=" + namespace);
		all.add("k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=" + namespace);
		all.add("k8s:io.cilium.k8s.policy.cluster=default");
		this.identities.put(this.next++, Labels.parse(all));
	}

}
