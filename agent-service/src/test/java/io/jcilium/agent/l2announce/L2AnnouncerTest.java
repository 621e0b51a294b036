package io.jcilium.agent.l2announce;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.api.crd.v2alpha1.CiliumL2AnnouncementPolicy;
import io.jcilium.common.net.IpAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The announcer's run against in-memory elections and responder: it competes for exactly
 * the planned services, answers only for those it holds, withdraws a lost one, follows a
 * policy change, keeps everything while its inputs are incomplete, and stops answering
 * when stopped.
 */
class L2AnnouncerTest {

	private static final KubernetesSerialization YAML = new KubernetesSerialization();

	private static final AnnouncedService WEB = new AnnouncedService("shop", "web");

	private final FakeElections elections = new FakeElections();

	private final FakeResponder responder = new FakeResponder();

	private final AtomicReference<L2Inputs> inputs = new AtomicReference<>(inputs("^eth0$"));

	private final L2Announcer announcer = new L2Announcer(() -> {
		L2Inputs current = this.inputs.get();
		if (current == null) {
			throw new IllegalStateException("waiting for the agent's Service cache to sync");
		}
		return current;
	}, this.elections, this.responder);

	@Test
	void competesForThePlannedServiceAndAnswersOnlyWhileHoldingIt() {
		this.announcer.reconcile();
		assertThat(this.elections.competing).containsExactly(WEB);
		assertThat(this.responder.entries).isEmpty();

		this.elections.held.add(WEB);
		this.announcer.reconcile();
		assertThat(this.responder.entries).containsExactly(entry("eth0", "192.0.2.100"));

		this.elections.held.clear();
		this.announcer.reconcile();
		assertThat(this.responder.entries).isEmpty();
	}

	@Test
	void followsAPolicyChangeAndLeavesTheElectionOfAServiceNoLongerSelected() {
		this.elections.held.add(WEB);
		this.announcer.reconcile();
		this.inputs.set(inputs("^eth1$"));
		this.announcer.reconcile();
		assertThat(this.responder.entries).containsExactly(entry("eth1", "192.0.2.100"));

		this.inputs.set(inputs("^bond"));
		this.announcer.reconcile();
		assertThat(this.elections.competing).isEmpty();
		assertThat(this.responder.entries).isEmpty();
	}

	@Test
	void incompleteInputsChangeNothingAndStoppingWithdrawsEverything() {
		this.elections.held.add(WEB);
		this.announcer.reconcile();
		this.inputs.set(null);
		assertThatThrownBy(this.announcer::reconcile).hasMessageContaining("cache to sync");
		assertThat(this.responder.entries).containsExactly(entry("eth0", "192.0.2.100"));

		this.announcer.stop();
		assertThat(this.elections.competing).isEmpty();
		assertThat(this.responder.entries).isEmpty();
	}

	private static L2Inputs inputs(String interfaces) {
		CiliumL2AnnouncementPolicy policy = YAML.unmarshal("""
				apiVersion: cilium.io/v2alpha1
				kind: CiliumL2AnnouncementPolicy
				metadata: {name: edge}
				spec:
				  interfaces: ["%s"]
				  loadBalancerIPs: true
				""".formatted(interfaces), CiliumL2AnnouncementPolicy.class);
		Service web = YAML.unmarshal("""
				apiVersion: v1
				kind: Service
				metadata: {name: web, namespace: shop}
				spec: {type: LoadBalancer, ports: [{port: 80}]}
				status:
				  loadBalancer: {ingress: [{ip: 192.0.2.100}]}
				""", Service.class);
		return new L2Inputs(List.of(policy), List.of(web), Map.of(), List.of("eth0", "eth1"));
	}

	private static ResponderEntry entry(String device, String address) {
		return new ResponderEntry(device, IpAddress.parseLiteral(address));
	}

	private static final class FakeElections implements L2Announcer.Elections {

		final Set<AnnouncedService> competing = new HashSet<>();

		final Set<AnnouncedService> held = new HashSet<>();

		@Override
		public void retain(Set<AnnouncedService> services) {
			this.competing.clear();
			this.competing.addAll(services);
			this.held.retainAll(services);
		}

		@Override
		public Set<AnnouncedService> held() {
			return Set.copyOf(this.held);
		}

		@Override
		public void leaveAll() {
			this.competing.clear();
			this.held.clear();
		}

	}

	private static final class FakeResponder implements L2Responder {

		final List<ResponderEntry> entries = new ArrayList<>();

		@Override
		public List<String> devices() {
			return List.of("eth0", "eth1");
		}

		@Override
		public void sync(Set<ResponderEntry> wanted) {
			this.entries.clear();
			this.entries.addAll(wanted);
		}

	}

}
