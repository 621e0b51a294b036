package io.jcilium.operator.crd;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.operator.k8s.ReconcileLoop;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Registers the CRDs on start, on every replica (as upstream: the CRDs must exist before
 * any controller watches them, whoever leads), in a background job that retries until the
 * API server is reachable and re-checks now and then.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "jcilium.operator.crd.register", matchIfMissing = true)
class CrdConfiguration {

	@Bean
	CrdRegistrar crdRegistrar(KubernetesClient client, CrdProperties properties) throws IOException {
		List<InputStream> streams = new ArrayList<>();
		for (Resource resource : new PathMatchingResourcePatternResolver().getResources(properties.location())) {
			streams.add(resource.getInputStream());
		}
		return new CrdRegistrar(client, CrdRegistrar.read(client, streams), properties.schemaVersion());
	}

	@Bean
	SmartLifecycle crdRegistration(CrdRegistrar registrar) {
		ReconcileLoop loop = new ReconcileLoop("crd-registration", registrar::register, Duration.ofMinutes(10));
		return new SmartLifecycle() {

			@Override
			public void start() {
				loop.start();
			}

			@Override
			public void stop() {
				loop.stop();
			}

			@Override
			public boolean isRunning() {
				return loop.isRunning();
			}

			// Before leader election, so the CRDs are being registered before any
			// controller starts watching them.
			@Override
			public int getPhase() {
				return SmartLifecycle.DEFAULT_PHASE - 1000;
			}

		};
	}

}
