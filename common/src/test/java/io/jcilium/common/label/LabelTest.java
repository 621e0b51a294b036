package io.jcilium.common.label;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LabelTest {

	@Test
	void parsesSourceKeyAndValue() {
		assertThat(Label.parse("k8s:app=web")).isEqualTo(new Label("k8s", "app", "web"));
		assertThat(Label.parse("reserved:host")).isEqualTo(new Label("reserved", "host", ""));
		assertThat(Label.parse("app=web")).isEqualTo(new Label("unspec", "app", "web"));
		assertThat(Label.parse("app=web", "k8s")).isEqualTo(new Label("k8s", "app", "web"));
		assertThat(Label.parse("any:app")).isEqualTo(new Label("any", "app", ""));
	}

	@Test
	void valueMayContainColonAfterTheEquals() {
		assertThat(Label.parse("k8s:url=a:b")).isEqualTo(new Label("k8s", "url", "a:b"));
		assertThat(Label.parse("url=a:b").source()).isEqualTo("unspec");
	}

	@Test
	void cidrLabelsKeepTheirKey() {
		assertThat(Label.parse("cidr:10.0.0.0/8").key()).isEqualTo("10.0.0.0/8");
		assertThat(Label.parse("cidr:2001:db8::/32").key()).isEqualTo("2001:db8::/32");
	}

	@Test
	void toStringIsCanonical() {
		assertThat(Label.parse("k8s:app=web")).hasToString("k8s:app=web");
		assertThat(Label.parse("reserved:host")).hasToString("reserved:host");
		assertThat(Label.parse("K8S:app=web")).hasToString("k8s:app=web");
	}

	@Test
	void rejectsBadLabelsNamingThem() {
		assertThatIllegalArgumentException().isThrownBy(() -> Label.parse("k8s:=web"))
			.withMessageContaining("'k8s:=web'")
			.withMessageContaining("empty key");
		assertThatIllegalArgumentException().isThrownBy(() -> Label.parse("docker:app=web"))
			.withMessageContaining("unknown source 'docker'")
			.withMessageContaining("k8s");
		assertThatIllegalArgumentException().isThrownBy(() -> Label.parse("k8s:a pp=web"))
			.withMessageContaining("invalid key 'a pp'");
		assertThatIllegalArgumentException().isThrownBy(() -> Label.parse("k8s:app=w b"))
			.withMessageContaining("invalid value 'w b'");
		assertThatIllegalArgumentException().isThrownBy(() -> Label.parse(" ")).withMessageContaining("empty");
		assertThatIllegalArgumentException().isThrownBy(() -> Label.parse("=x")).withMessageContaining("empty key");
	}

	@Test
	void labelsAreSortedAndCanonical() {
		Labels labels = Labels.parse(List.of("k8s:zeta=1", "k8s:app=web", "reserved:host"));
		assertThat(labels).hasToString("k8s:app=web,k8s:zeta=1,reserved:host");
		assertThat(labels).isEqualTo(Labels.parse(List.of("reserved:host", "k8s:app=web", "k8s:zeta=1")));
	}

	@Test
	void labelsFromKubernetesMap() {
		Labels labels = Labels.fromMap(Map.of("app", "web", "tier", "front"), "k8s");
		assertThat(labels.get("app")).contains(Label.k8s("app", "web"));
		assertThat(labels.contains(Label.parse("any:tier=front"))).isTrue();
		assertThat(labels.contains(Label.parse("reserved:tier=front"))).isFalse();
		assertThat(labels.contains(Label.parse("k8s:tier=back"))).isFalse();
	}

	@Test
	void conflictingKeysAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> Labels.parse(List.of("k8s:app=web", "k8s:app=db")))
			.withMessageContaining("same key 'app'");
	}

	@Test
	void withReplacesOnConflict() {
		Labels pod = Labels.parse(List.of("k8s:io.kubernetes.pod.namespace=evil", "k8s:app=a"));
		Labels merged = pod.with(Labels.parse(List.of("k8s:io.kubernetes.pod.namespace=x")));
		assertThat(merged.get("io.kubernetes.pod.namespace").get().value()).isEqualTo("x");
		assertThat(merged.size()).isEqualTo(2);
	}

}
