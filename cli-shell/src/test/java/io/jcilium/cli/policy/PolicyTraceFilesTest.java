package io.jcilium.cli.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.jcilium.common.policy.trace.PortProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTraceFilesTest {

	private static final String PODS = """
			pods:
			  - {namespace: shop, name: web, labels: {app: web}}
			  - {namespace: shop, name: lb, labels: {app: lb}}
			  - {namespace: shop, name: db, labels: {app: db}}
			""";

	private static final String ONLY_LB = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: lb}}]
			""";

	@TempDir
	Path dir;

	@Test
	void readsOnlyYamlFilesOfTheDirectory() throws IOException {
		Path policies = Files.createDirectory(this.dir.resolve("policies"));
		Files.writeString(policies.resolve("web.yml"), ONLY_LB);
		// Not YAML by its name: skipped, though it would not parse.
		Files.writeString(policies.resolve("README.txt"), "not: [a policy");
		Path pods = Files.writeString(this.dir.resolve("pods.yaml"), PODS);

		List<String> lines = PolicyTraceFiles.trace(policies, pods, List.of(PortProtocol.parse("80/TCP")));

		assertThat(lines).contains("shop/lb shop/web 80/TCP allowed", "shop/db shop/web 80/TCP denied")
			.last()
			.isEqualTo("summary: 9 connections, 8 allowed, 1 denied");
	}

	@Test
	void toServicesRulesResolveAgainstTheServicesOfThePodsFile() throws IOException {
		Path policies = Files.createDirectory(this.dir.resolve("egress"));
		Files.writeString(policies.resolve("lb.yaml"), """
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: lb, namespace: shop}
				spec:
				  endpointSelector: {matchLabels: {app: lb}}
				  egress:
				    - toServices: [{k8sService: {serviceName: web, namespace: shop}}]
				""");
		Path pods = Files.writeString(this.dir.resolve("pods.yaml"),
				PODS + "services:\n  - {namespace: shop, name: web, selector: {app: web}}\n");

		List<String> lines = PolicyTraceFiles.trace(policies, pods, List.of(PortProtocol.parse("80/TCP")));

		assertThat(lines).contains("shop/lb shop/web 80/TCP allowed", "shop/lb shop/db 80/TCP denied");
	}

	@Test
	void errorsNameTheFile() throws IOException {
		Path policies = Files.createDirectory(this.dir.resolve("bad"));
		Files.writeString(policies.resolve("broken.yaml"), ONLY_LB.replace("lb}", "lb, \"x y\": z}"));
		Path pods = Files.writeString(this.dir.resolve("pods.yaml"), PODS);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PolicyTraceFiles.trace(policies, pods, List.of(PortProtocol.parse("80/TCP"))))
			.withMessageStartingWith("broken.yaml: CiliumNetworkPolicy shop/web");
		Path badPods = Files.writeString(this.dir.resolve("pods2.yaml"), "pods: [{name: a}]");
		assertThatIllegalArgumentException().isThrownBy(() -> PolicyTraceFiles.trace(policies, badPods, List.of()))
			.withMessage("pods2.yaml: pods[0].namespace: is required");
		assertThatThrownBy(() -> PolicyTraceFiles.trace(policies, this.dir.resolve("missing.yaml"), List.of()))
			.isInstanceOf(UncheckedIOException.class)
			.hasMessageContaining("cannot read pods file")
			.hasMessageContaining("missing.yaml");
	}

}
