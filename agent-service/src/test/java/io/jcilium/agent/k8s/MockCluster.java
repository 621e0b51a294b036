package io.jcilium.agent.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.jcilium.testsupport.ApiCallRecorder;

import io.jcilium.agent.endpoint.CiliumEndpointConfiguration;
import io.jcilium.agent.endpoint.EndpointProperties;
import io.jcilium.agent.ipcache.IpcacheConfiguration;
import io.jcilium.agent.jobs.AgentJobsConfiguration;
import io.jcilium.agent.node.NodeConfiguration;
import io.jcilium.agent.policy.PolicyWatchConfiguration;
import io.jcilium.agent.service.ServiceConfiguration;
import io.jcilium.agent.k8s.Recorders.RecordingIpcache;
import io.jcilium.agent.k8s.Recorders.RecordingPodListener;
import io.jcilium.agent.k8s.Recorders.RecordingPolicyUpdates;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes cell and the features' watchers as the agent wires them, against
 * fabric8's CRUD mock API server, with recording implementations of the seams it feeds;
 * this agent is {@code node-1}. Manifests come from {@code src/test/resources/k8s}.
 */
public final class MockCluster {

	public static final String NODE = "node-1";

	private MockCluster() {
	}

	/** The Kubernetes plumbing and every feature's watchers, as the agent wires them. */
	public static final Class<?>[] CONFIGURATIONS = { AgentJobsConfiguration.class, EndpointSettings.class,
			KubernetesConfiguration.class, PolicyWatchConfiguration.class, CiliumEndpointConfiguration.class,
			NodeConfiguration.class, IpcacheConfiguration.class, ServiceConfiguration.class };

	public static ApplicationContextRunner runner(KubernetesClient client) {
		return new ApplicationContextRunner().withUserConfiguration(CONFIGURATIONS)
			// The agent's own client, on the mock server, reading Pods and Nodes in the
			// agent's forms and recording the calls it makes for the chart's RBAC check;
			// the context closes it.
			.withBean(KubernetesClient.class,
					() -> ApiCallRecorder.client("agent-service", client.getConfiguration(), ReadForms.serialization()))
			.withBean(RecordingPolicyUpdates.class, RecordingPolicyUpdates::new)
			.withBean(RecordingIpcache.class, RecordingIpcache::new)
			.withBean(RecordingPodListener.class, RecordingPodListener::new)
			.withPropertyValues("jcilium.agent.node-name=" + NODE, "jcilium.agent.cluster-name=test-cluster",
					"jcilium.agent.ipam.pod-cidr=10.99.0.0/24", "jcilium.agent.k8s.write-retry-min=50ms",
					"jcilium.agent.k8s.write-retry-max=500ms",
					// The mock server cannot filter pods by spec.nodeName; the agent
					// filters itself.
					"jcilium.agent.k8s.pod-field-selector=false");
	}

	/**
	 * Make the first requests before the test's clock starts: on a cold JVM on a busy
	 * machine the first connection can be slow.
	 */
	public static void warmUp(KubernetesClient client) {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			try {
				client.namespaces().list();
				return;
			}
			catch (KubernetesClientException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
			}
		}
	}

	public static String manifest(String name) {
		try (InputStream in = MockCluster.class.getResourceAsStream("/k8s/" + name)) {
			if (in == null) {
				throw new IllegalArgumentException("no test manifest k8s/" + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Create or replace a typed object from a manifest, as {@code kubectl apply} would.
	 */
	public static <T extends HasMetadata> T apply(KubernetesClient client, String manifest, Class<T> type) {
		T object = client.getKubernetesSerialization().unmarshal(manifest(manifest), type);
		return client.resource(object).createOr(NonDeletingOperation::update);
	}

	/**
	 * Create or replace a policy custom resource (kept generic, as the agent reads it).
	 */
	public static GenericKubernetesResource applyPolicy(KubernetesClient client, PolicyKind kind, String namespace,
			String manifest) {
		GenericKubernetesResource object = client.getKubernetesSerialization()
			.unmarshal(manifest(manifest), GenericKubernetesResource.class);
		var resources = client.genericKubernetesResources(kind.context());
		var scoped = (namespace != null) ? resources.inNamespace(namespace) : resources;
		GenericKubernetesResource existing = scoped.withName(object.getMetadata().getName()).get();
		if (existing == null) {
			return scoped.resource(object).create();
		}
		existing.getAdditionalProperties().put("spec", object.getAdditionalProperties().get("spec"));
		return scoped.resource(existing).update();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EndpointProperties.class)
	public static class EndpointSettings {

	}

}
