package io.jcilium.devapiserver;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jcilium.testsupport.Kubectl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fabric8 informer (list + watch, as the operator's and the agent's) configured from
 * the kubeconfig the server writes sees what kubectl does to a CiliumNetworkPolicy.
 */
class FabricInformerIT {

	@TempDir
	Path temp;

	DevApiServer server;

	Kubectl kubectl;

	KubernetesClient client;

	@BeforeEach
	void start() throws Exception {

		Path kubeconfig = this.temp.resolve("kubeconfig");
		this.kubectl = Kubectl.require(kubeconfig, this.temp.resolve("cache"));

		this.server = DevApiServer.start(InetAddress.getLoopbackAddress(), 0);

		this.server.writeKubeconfig(kubeconfig);
		this.kubectl.ok("apply", "-f",
				Repository.path("helm/jcilium/crds/ciliumnetworkpolicies.cilium.io-v1.yml").toString());
		this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
			.build();
	}

	@AfterEach
	void stop() {

		if (this.client != null) {
			this.client.close();
		}

		if (this.server != null) {
			this.server.close();
		}

	}

	@Test
	void informerSeesKubectlAddLabelAndDelete() throws Exception {
		String namespace = "inf-" + UUID.randomUUID().toString().substring(0, 8);

		BlockingQueue<String> events = new LinkedBlockingQueue<>();
		SharedIndexInformer<GenericKubernetesResource> informer = this.client
			.genericKubernetesResources("cilium.io/v2", "CiliumNetworkPolicy")
			.inNamespace(namespace)
			.inform(new ResourceEventHandler<>() {
				@Override
				public void onAdd(GenericKubernetesResource cnp) {
					events.add("add " + cnp.getMetadata().getName());
				}

				@Override
				public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
					String tier = (after.getMetadata().getLabels() != null)
							? after.getMetadata().getLabels().get("tier") : null;
					if (tier != null) {
						events.add("update " + after.getMetadata().getName() + " tier=" + tier);
					}
				}

				@Override
				public void onDelete(GenericKubernetesResource cnp, boolean finalStateUnknown) {
					events.add("delete " + cnp.getMetadata().getName());
				}
			});
		try {

			informer.start().toCompletableFuture().get(20, TimeUnit.SECONDS);

			this.kubectl.ok("apply", "-n", namespace, "-f",
					Repository.path("examples/upstream/cnp-l3-l4.yaml").toString());

			assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("add rule1");

			this.kubectl.ok("label", "cnp", "rule1", "-n", namespace, "tier=gold");
			assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("update rule1 tier=gold");
			this.kubectl.ok("delete", "cnp", "rule1", "-n", namespace);

			assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("delete rule1");

			assertThat(informer.getStore().list()).isEmpty();
			assertThat(List.copyOf(events)).isEmpty();
		}
		finally {
			informer.close();
		}
	}

}
