package io.jcilium.common.selector;

import java.util.List;
import java.util.Map;

import io.jcilium.common.label.Labels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LabelSelectorTest {

	private final Labels web = Labels.parse(List.of("k8s:app=web", "k8s:tier=front"));

	private final Labels db = Labels.parse(List.of("k8s:app=db"));

	@Test
	void emptySelectorSelectsEverything() {
		assertThat(LabelSelector.all().matches(this.web)).isTrue();
		assertThat(LabelSelector.all().matches(Labels.empty())).isTrue();
		assertThat(LabelSelector.of(Map.of(), List.of())).isEqualTo(LabelSelector.all());
	}

	@Test
	void matchLabelsNeedsEveryPair() {
		LabelSelector selector = LabelSelector.matchLabels(Map.of("app", "web", "tier", "front"));
		assertThat(selector.matches(this.web)).isTrue();
		assertThat(selector.matches(this.db)).isFalse();
	}

	@Test
	void sourcePrefixedKeysMatchOnlyThatSource() {
		assertThat(LabelSelector.matchLabels(Map.of("k8s:app", "web")).matches(this.web)).isTrue();
		assertThat(LabelSelector.matchLabels(Map.of("any:app", "web")).matches(this.web)).isTrue();
		assertThat(LabelSelector.matchLabels(Map.of("reserved:app", "web")).matches(this.web)).isFalse();
		assertThat(
				LabelSelector.matchLabels(Map.of("reserved:host", "")).matches(Labels.parse(List.of("reserved:host"))))
			.isTrue();
	}

	@Test
	void expressionsFollowKubernetesSemantics() {
		assertThat(select("app", "In", List.of("web", "api")).matches(this.web)).isTrue();
		assertThat(select("app", "In", List.of("api")).matches(this.web)).isFalse();
		assertThat(select("app", "NotIn", List.of("db")).matches(this.web)).isTrue();
		assertThat(select("app", "NotIn", List.of("web")).matches(this.web)).isFalse();
		// NotIn matches when the key is absent.
		assertThat(select("role", "NotIn", List.of("x")).matches(this.web)).isTrue();
		assertThat(select("tier", "Exists", List.of()).matches(this.web)).isTrue();
		assertThat(select("tier", "Exists", List.of()).matches(this.db)).isFalse();
		assertThat(select("tier", "DoesNotExist", List.of()).matches(this.db)).isTrue();
	}

	@Test
	void invalidExpressionsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> select("app", "Equals", List.of("web")))
			.withMessageContaining("'Equals'")
			.withMessageContaining("In, NotIn, Exists, DoesNotExist");
		assertThatIllegalArgumentException().isThrownBy(() -> select("app", "in", List.of("web")))
			.withMessageContaining("'in'");
		assertThatIllegalArgumentException().isThrownBy(() -> select("app", "In", List.of()))
			.withMessageContaining("needs at least one value");
		assertThatIllegalArgumentException().isThrownBy(() -> select("app", "Exists", List.of("web")))
			.withMessageContaining("must not have values");
		assertThatIllegalArgumentException().isThrownBy(() -> select("", "Exists", List.of()))
			.withMessageContaining("empty");
		assertThatIllegalArgumentException().isThrownBy(() -> select("bogus:app", "Exists", List.of()))
			.withMessageContaining("unknown source 'bogus'");
	}

	@Test
	void selectorsAreValuesIndependentOfOrder() {
		LabelSelector a = LabelSelector.matchLabels(Map.of("app", "web", "tier", "front"));
		LabelSelector b = LabelSelector.of(Map.of("tier", "front"),
				List.of(Requirement.of("app", "In", List.of("web"))));
		assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
		assertThat(a).hasToString("{any:app in (web), any:tier in (front)}");
	}

	private static LabelSelector select(String key, String operator, List<String> values) {
		return LabelSelector.of(Map.of(), List.of(Requirement.of(key, operator, values)));
	}

}
