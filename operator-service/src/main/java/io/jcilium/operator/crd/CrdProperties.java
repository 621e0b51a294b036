package io.jcilium.operator.crd;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * CRD registration settings ({@code jcilium.operator.crd.*}).
 *
 * @param register whether to register the bundled CRDs on start (off when a Helm chart or
 * GitOps tool owns them)
 * @param schemaVersion the schema version this build's CRDs carry; raise it whenever
 * their schema changes
 * @param location where the bundled CRD manifests are
 */
@ConfigurationProperties("jcilium.operator.crd")
public record CrdProperties(@DefaultValue("true") boolean register, @DefaultValue("1.0.0") String schemaVersion,
		@DefaultValue("classpath*:META-INF/fabric8/*.cilium.io-v1.yml") String location) {

}
