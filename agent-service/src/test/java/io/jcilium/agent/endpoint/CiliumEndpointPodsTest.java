package io.jcilium.agent.endpoint;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.jcilium.agent.hubble.enrich.RemotePods.RemotePod;
import io.jcilium.api.crd.v2.CiliumEndpoint;
import io.jcilium.api.crd.v2.CiliumNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Other nodes' pods by address, from their CiliumEndpoints as the informer delivers them:
 * added, re-addressed, deleted, and an address that moved to another pod.
 */
class CiliumEndpointPodsTest {

	private final CiliumEndpointPods pods = new CiliumEndpointPods();

	private final ResourceEventHandler<CiliumEndpoint> handler = this.pods.handler();

	@Test
	void aCiliumEndpointNamesItsPodAtEachOfItsAddresses() {
		this.handler.onAdd(endpoint("shop", "backend-7d9f8-x2x9q", "10.1.2.3", "fd00:0::1:2:3"));

		assertThat(this.pods.byAddress("10.1.2.3")).contains(new RemotePod("shop", "backend-7d9f8-x2x9q"));
		assertThat(this.pods.byAddress("fd00:0:0:0:0:1:2:3")).as("IPv6 however it is spelt")
			.contains(new RemotePod("shop", "backend-7d9f8-x2x9q"));
		assertThat(this.pods.byAddress("fd00::1:2:3")).contains(new RemotePod("shop", "backend-7d9f8-x2x9q"));
		assertThat(this.pods.byAddress("10.1.2.4")).isEmpty();
	}

	@Test
	void aNewAddressReplacesTheOldAndADeletedEndpointIsForgotten() {
		CiliumEndpoint before = endpoint("shop", "web-1", "10.1.2.3", null);
		CiliumEndpoint after = endpoint("shop", "web-1", "10.1.2.9", null);
		this.handler.onAdd(before);
		this.handler.onUpdate(before, after);

		assertThat(this.pods.byAddress("10.1.2.3")).isEmpty();
		assertThat(this.pods.byAddress("10.1.2.9")).contains(new RemotePod("shop", "web-1"));

		this.handler.onDelete(after, false);
		assertThat(this.pods.byAddress("10.1.2.9")).isEmpty();
	}

	@Test
	void anAddressTakenOverByAnotherPodStaysWithItWhenTheOldOneGoes() {
		CiliumEndpoint old = endpoint("shop", "web-1", "10.1.2.3", null);
		this.handler.onAdd(old);
		this.handler.onAdd(endpoint("bank", "db-0", "10.1.2.3", null));
		this.handler.onDelete(old, false);

		assertThat(this.pods.byAddress("10.1.2.3")).contains(new RemotePod("bank", "db-0"));
	}

	@Test
	void anEndpointWithoutAddressesYetNamesNothing() {
		CiliumEndpoint bare = new CiliumEndpoint();
		bare.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("web-2").build());
		this.handler.onAdd(bare);

		assertThat(this.pods.byAddress("")).isEqualTo(Optional.empty());
		assertThat(this.pods.byAddress("10.1.2.3")).isEmpty();
	}

	private static CiliumEndpoint endpoint(String namespace, String name, String ipv4, String ipv6) {
		CiliumEndpoint endpoint = new CiliumEndpoint();
		endpoint.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
		CiliumEndpoint.Status status = new CiliumEndpoint.Status();
		status.networking = new CiliumEndpoint.Networking();
		CiliumNode.AddressPair pair = new CiliumNode.AddressPair();
		pair.ipv4 = ipv4;
		pair.ipv6 = ipv6;
		status.networking.addressing = List.of(pair);
		status.networking.node = "192.168.0.2";
		endpoint.setStatus(status);
		return endpoint;
	}

}
