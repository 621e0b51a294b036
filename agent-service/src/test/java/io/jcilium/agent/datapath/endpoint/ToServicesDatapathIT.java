package io.jcilium.agent.datapath.endpoint;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.PodTraffic;
import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.policy.ServiceCatalog;
import io.jcilium.agent.policy.ToServicesPolicies;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.services.ClusterService;
import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code toServices} on real packets: a client whose egress policy names service
 * {@code shop/web} reaches the service's backend pods, by their identity, and no other
 * pod; when the service's selector moves to other pods, the policy moves with it; when
 * the service is gone, nothing is allowed (fail closed). Policy as a user writes it,
 * through the agent's policy cell and endpoint datapath.
 */
class ToServicesDatapathIT {

	static final long CLIENT = 1101;

	static final long WEB = 1102;

	static final long BATCH = 1103;

	static final String CLIENT_POLICY = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: client-to-web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: client}}
			  egress:
			    - toServices: [{k8sService: {serviceName: web, namespace: shop}}]
			""";

	private final MutableCatalog catalog = new MutableCatalog();

	private EndpointRig rig;

	private Jobs jobs;

	private ToServicesPolicies toServices;

	private PodTopology.Pod client;

	private PodTopology.Pod web;

	private PodTopology.Pod batch;

	private final List<ServerSocket> listeners = new ArrayList<>();

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "ping", "sysctl");
		this.rig = new EndpointRig("jcilium-tosvc-it");
		this.client = this.rig.topology.addPod("c", "10.203.0.1");
		this.web = this.rig.topology.addPod("w", "10.203.0.2");
		this.batch = this.rig.topology.addPod("b", "10.203.0.3");
		this.rig.startAgent();
		this.jobs = new Jobs("tosvc-it", 1);
		this.toServices = new ToServicesPolicies(() -> this.rig.policy, this.catalog, this.jobs, Duration.ofHours(1));
		Endpoint[] endpoints = { endpoint(this.client, 1, CLIENT, "client"), endpoint(this.web, 2, WEB, "web"),
				endpoint(this.batch, 3, BATCH, "batch") };
		for (Endpoint endpoint : endpoints) {
			this.rig.datapath.regenerate(endpoint);
		}
		this.listeners.add(PodTraffic.listen(this.web, 8080));
		this.listeners.add(PodTraffic.listen(this.batch, 8080));
	}

	@AfterEach
	void tearDown() throws Exception {
		for (ServerSocket listener : this.listeners) {
			listener.close();
		}
		if (this.jobs != null) {
			this.jobs.close();
		}
		if (this.rig != null) {
			this.rig.close();
		}
	}

	@Test
	void egressToAServiceReachesItsBackendsOnlyAndFollowsTheService() {
		assertThat(PodTraffic.connects(this.client, this.batch, 8080, 1000)).as("no policy yet").isTrue();
		this.catalog.services.add(service(Map.of("app", "web")));
		this.toServices.updates().upsertPolicy(new PolicyParser().parse(CLIENT_POLICY).get(0));
		this.rig.policy.awaitMapsWritten();

		assertThat(PodTraffic.connects(this.client, this.web, 8080, 1000)).as("the service's backend").isTrue();
		assertThat(PodTraffic.connects(this.client, this.batch, 8080, 1000)).as("not a backend").isFalse();

		this.catalog.services.set(0, service(Map.of("app", "batch")));
		assertThat(this.toServices.refresh()).as("the policy is resolved again").isEqualTo(1);
		assertThat(this.toServices.refresh()).as("and only when something changed").isZero();
		this.rig.policy.awaitMapsWritten();
		assertThat(PodTraffic.connects(this.client, this.batch, 8080, 1000)).as("the new backend").isTrue();
		assertThat(PodTraffic.connects(this.client, this.web, 8080, 1000)).as("no longer a backend").isFalse();

		this.catalog.services.clear();
		assertThat(this.toServices.refresh()).isEqualTo(1);
		this.rig.policy.awaitMapsWritten();
		assertThat(PodTraffic.connects(this.client, this.batch, 8080, 1000)).as("service gone: fail closed").isFalse();
		assertThat(PodTraffic.connects(this.client, this.web, 8080, 1000)).isFalse();
	}

	private Endpoint endpoint(PodTopology.Pod pod, int id, long identity, String app) {
		this.rig.policy.upsertIdentity(Identity.of(identity, EndpointRig.labels(app)));
		this.rig.policy.awaitMapsWritten();
		return this.rig.endpoint(pod, id, identity, EndpointRig.labels(app));
	}

	private static ClusterService service(Map<String, String> selector) {
		return new ClusterService("shop", "web", Map.of(), selector, List.of(Cidr.parse("10.203.0.2/32")));
	}

	/**
	 * The services a test sets; the job is not exercised here (see ToServicesWatchIT).
	 */
	private static final class MutableCatalog implements ServiceCatalog {

		final List<ClusterService> services = new CopyOnWriteArrayList<>();

		@Override
		public Collection<ClusterService> services() {
			return List.copyOf(this.services);
		}

		@Override
		public boolean synced() {
			return true;
		}

		@Override
		public void onChange(Runnable listener) {
		}

	}

}
