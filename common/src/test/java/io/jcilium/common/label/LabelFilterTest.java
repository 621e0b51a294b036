package io.jcilium.common.label;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LabelFilterTest {

	private final LabelFilter defaults = LabelFilter.defaults();

	@Test
	void defaultsKeepApplicationLabels() {
		assertThat(relevant("k8s:app=web")).isTrue();
		assertThat(relevant("k8s:io.kubernetes.pod.namespace=default")).isTrue();
		assertThat(relevant("k8s:io.cilium.k8s.namespace.labels.team=a")).isTrue();
		assertThat(relevant("k8s:app.kubernetes.io/name=web")).isTrue();
		assertThat(relevant("k8s:io.cilium.k8s.policy.cluster=default")).isTrue();
		assertThat(relevant("k8s:io.cilium.k8s.policy.serviceaccount=sa")).isTrue();
		assertThat(relevant("reserved:host")).isTrue();
	}

	@Test
	void defaultsDropKubernetesNoise() {
		assertThat(relevant("k8s:pod-template-hash=abc")).isFalse();
		assertThat(relevant("k8s:controller-revision-hash=abc")).isFalse();
		assertThat(relevant("k8s:pod-template-generation=1")).isFalse();
		assertThat(relevant("k8s:statefulset.kubernetes.io/pod-name=db-0")).isFalse();
		assertThat(relevant("k8s:apps.kubernetes.io/pod-index=0")).isFalse();
		assertThat(relevant("k8s:batch.kubernetes.io/job-completion-index=3")).isFalse();
		assertThat(relevant("k8s:batch.kubernetes.io/controller-uid=u")).isFalse();
		assertThat(relevant("k8s:controller-uid=u")).isFalse();
		assertThat(relevant("k8s:io.kubernetes.container.name=c")).isFalse();
		assertThat(relevant("k8s:kubernetes.io/hostname=n1")).isFalse();
		assertThat(relevant("k8s:beta.kubernetes.io/arch=amd64")).isFalse();
		assertThat(relevant("k8s:k8s.io/foo=bar")).isFalse();
		assertThat(relevant("k8s:annotation.foo=bar")).isFalse();
		assertThat(relevant("k8s:etcd_node=e1")).isFalse();
	}

	@Test
	void escapedDotsDoNotMatchAnyCharacter() {
		// Upstream fixed "k8s.io" matching "k8sXio"; the defaults escape their dots.
		assertThat(relevant("k8s:k8sXio=1")).isTrue();
	}

	@Test
	void anInclusivePatternKeepsOnlyIncludedAndDefaultIncludedLabels() {
		LabelFilter filter = LabelFilter.withPatterns(List.of("k8s:team"));
		assertThat(filter.isRelevant(Label.parse("k8s:team=a"))).isTrue();
		assertThat(filter.isRelevant(Label.parse("k8s:team-lead=b"))).isTrue();
		assertThat(filter.isRelevant(Label.parse("k8s:env=prod"))).isFalse();
		assertThat(filter.isRelevant(Label.parse("k8s:io.kubernetes.pod.namespace=x"))).isTrue();
		assertThat(filter.isRelevant(Label.parse("reserved:host"))).isTrue();
		assertThat(filter.isRelevant(Label.parse("unspec:team=a"))).isFalse();
	}

	@Test
	void exclusivePatternsAddToTheDefaults() {
		LabelFilter filter = LabelFilter.withPatterns(List.of("k8s:!job-name", ""));
		assertThat(filter.isRelevant(Label.parse("k8s:job-name=j"))).isFalse();
		assertThat(filter.isRelevant(Label.parse("k8s:app=a"))).isTrue();
		assertThat(filter.isRelevant(Label.parse("k8s:pod-template-hash=x"))).isFalse();
	}

	@Test
	void securityRelevantFiltersLabels() {
		Labels pod = Labels.parse(List.of("k8s:app=web", "k8s:pod-template-hash=123",
				"k8s:io.kubernetes.pod.namespace=default", "k8s:io.kubernetes.pod.name=web-1"));
		assertThat(pod.securityRelevant(this.defaults))
			.hasToString("k8s:app=web,k8s:io.kubernetes.pod.namespace=default");
	}

	@Test
	void badPatternsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelFilter.withPatterns(List.of("k8s:!")))
			.withMessageContaining("'k8s:!'");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelFilter.withPatterns(List.of("foo:bar")))
			.withMessageContaining("unknown source 'foo'");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelFilter.withPatterns(List.of("k8s:(")))
			.withMessageContaining("not a valid regular expression");
	}

	private boolean relevant(String label) {
		return this.defaults.isRelevant(Label.parse(label));
	}

}
