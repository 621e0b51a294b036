package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

import io.jcilium.agent.ipam.PodIpOwner;
import io.jcilium.agent.link.InMemoryLinkOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EndpointManagerTest {

	private static final String CIDR = "10.10.0.0/28";

	@TempDir
	Path stateDir;

	private final InMemoryLinkOperations links = new InMemoryLinkOperations();

	private final RecordingDatapath datapath = new RecordingDatapath();

	private PersistentPodIps ips;

	private EndpointManager manager;

	@BeforeEach
	void setUp() {
		this.ips = new PersistentPodIps(CIDR, this.stateDir.resolve("ips"));
		this.manager = new EndpointManager(this.links, this.ips, new InitIdentityResolver(), this.datapath);
	}

	@AfterEach
	void tearDown() {
		this.manager.close();
	}

	@Test
	void addConnectsThePodAndEndsReadyWithTheInitIdentity() throws Exception {
		Endpoint endpoint = this.manager.add(request("c1"));

		assertThat(endpoint.state()).isEqualTo(EndpointState.READY);
		assertThat(endpoint.identity()).isEqualTo(InitIdentityResolver.INIT_IDENTITY);
		assertThat(endpoint.ip()).isEqualTo(InetAddress.getByName("10.10.0.2"));
		assertThat(endpoint.hostIfName()).startsWith("lxc").hasSize(15);
		assertThat(this.links.spec(endpoint.hostIfName()).podIp()).isEqualTo(endpoint.ip());
		assertThat(this.links.spec(endpoint.hostIfName()).netnsPath()).isEqualTo("/run/netns/c1");
		assertThat(this.datapath.regenerated).containsExactly(endpoint.id());
		assertThat(this.manager.list()).singleElement().satisfies((status) -> {
			assertThat(status.state()).isEqualTo("ready");
			assertThat(status.address()).isEqualTo("10.10.0.2");
			assertThat(status.hostIfIndex()).isPositive();
		});
	}

	@Test
	void repeatedAddReturnsTheSameEndpoint() {
		Endpoint first = this.manager.add(request("c1"));
		assertThat(this.manager.add(request("c1"))).isSameAs(first);
		assertThat(this.links.size()).isOne();
	}

	@Test
	void eachPodGetsItsOwnAddressIdAndVeth() {
		Endpoint a = this.manager.add(request("a"));
		Endpoint b = this.manager.add(request("b"));
		assertThat(a.ip()).isNotEqualTo(b.ip());
		assertThat(a.id()).isNotEqualTo(b.id());
		assertThat(a.hostIfName()).isNotEqualTo(b.hostIfName());
	}

	@Test
	void linkFailureLeavesNoEndpointNoAddressNoLink() {
		this.links.failNextCreate("RTNETLINK answers: File exists");
		assertThatExceptionOfType(EndpointCreationException.class).isThrownBy(() -> this.manager.add(request("c1")))
			.satisfies((ex) -> assertThat(ex.stage()).isEqualTo(EndpointCreationException.Stage.LINK))
			.withMessageContaining("File exists");
		assertThat(this.manager.list()).isEmpty();
		assertThat(this.links.size()).isZero();
		assertThat(this.manager.add(request("c2")).ip().getHostAddress()).as("address of the failed pod reused")
			.isIn("10.10.0.2", "10.10.0.3");
	}

	@Test
	void datapathFailureRemovesTheLinkAndFreesTheAddress() throws Exception {
		this.datapath.fail = true;
		assertThatExceptionOfType(EndpointCreationException.class).isThrownBy(() -> this.manager.add(request("c1")))
			.satisfies((ex) -> assertThat(ex.stage()).isEqualTo(EndpointCreationException.Stage.DATAPATH));
		assertThat(this.links.size()).isZero();
		assertThat(this.ips.ownerOf(InetAddress.getByName("10.10.0.2"))).isEmpty();
		assertThat(this.datapath.removed).hasSize(1);
	}

	@Test
	void deleteRemovesLinkAndAddressAndIsIdempotent() {
		Endpoint endpoint = this.manager.add(request("c1"));
		this.manager.delete("c1", "eth0");
		assertThat(endpoint.state()).isEqualTo(EndpointState.DISCONNECTED);
		assertThat(this.links.hostLinkExists(endpoint.hostIfName())).isFalse();
		assertThat(this.ips.ownerOf(endpoint.ip())).isEmpty();
		assertThat(this.manager.list()).isEmpty();
		this.manager.delete("c1", "eth0");
		this.manager.delete("never-added", "eth0");
	}

	@Test
	void addressesSurviveARestartThroughTheStateDirectory() {
		Endpoint endpoint = this.manager.add(request("c1"));
		PersistentPodIps restarted = new PersistentPodIps(CIDR, this.stateDir.resolve("ips"));
		assertThat(restarted.ownerOf(endpoint.ip())).contains(new PodIpOwner("c1", "eth0"));
		assertThat(restarted.allocate("c2", "eth0", null)).isNotEqualTo(endpoint.ip());
	}

	@Test
	void exhaustedCidrFailsAtIpAllocation() {
		for (int i = 0; i < 13; i++) {
			this.manager.add(request("c" + i));
		}
		assertThatExceptionOfType(EndpointCreationException.class).isThrownBy(() -> this.manager.add(request("full")))
			.satisfies((ex) -> assertThat(ex.stage()).isEqualTo(EndpointCreationException.Stage.IP_ALLOCATION))
			.withMessageContaining("exhausted");
		assertThat(this.links.size()).isEqualTo(13);
	}

	@Test
	void eachInterfaceOfAPodHasItsOwnAddressAndDelOfOneKeepsTheOther() {
		Endpoint eth0 = this.manager.add(request("c1"));
		Endpoint eth1 = this.manager.add(new EndpointRequest("c1", "eth1", "/run/netns/c1", "default", "pod-c1", null));
		assertThat(eth1.ip()).isNotEqualTo(eth0.ip());

		this.manager.delete("c1", "eth1");
		this.manager.delete("c1", "eth2");

		assertThat(this.ips.ownerOf(eth0.ip())).isPresent();
		assertThat(this.ips.ownerOf(eth1.ip())).isEmpty();
		assertThat(new PersistentPodIps(CIDR, this.stateDir.resolve("ips")).ownerOf(eth0.ip())).isPresent();
		assertThat(this.manager.add(request("c2")).ip()).isNotEqualTo(eth0.ip());
	}

	@Test
	void aDamagedLineInTheAllocationsFileCostsOnlyThatLineAndIsKeptForInspection() throws Exception {
		Path file = this.stateDir.resolve("damaged-ips");
		Files.writeString(file, "10.10.0.2 id with whitespace\n10.10.0.3 c7\n\u0000\u0001garbage\n");

		PersistentPodIps restarted = new PersistentPodIps(CIDR, file);

		assertThat(restarted.ownerOf(InetAddress.getByName("10.10.0.3"))).isPresent();
		assertThat(restarted.allocate("c8", "eth0", null)).isNotEqualTo(InetAddress.getByName("10.10.0.3"));
		try (var files = Files.list(this.stateDir)) {
			assertThat(files.map((path) -> path.getFileName().toString()))
				.anySatisfy((name) -> assertThat(name).startsWith("damaged-ips.damaged-"));
		}
	}

	@Test
	void hostIfNameIsStableAndFitsIfnamsiz() {
		assertThat(EndpointManager.hostIfName("abc", "eth0")).isEqualTo(EndpointManager.hostIfName("abc", "eth0"))
			.isNotEqualTo(EndpointManager.hostIfName("abc", "eth1"))
			.hasSize(15);
	}

	private static EndpointRequest request(String containerId) {
		return new EndpointRequest(containerId, "eth0", "/run/netns/" + containerId, "default", "pod-" + containerId,
				null);
	}

	static final class RecordingDatapath implements EndpointDatapath {

		final List<Integer> regenerated = new CopyOnWriteArrayList<>();

		final List<Integer> removed = new CopyOnWriteArrayList<>();

		final List<Integer> guarded = new CopyOnWriteArrayList<>();

		volatile boolean fail;

		@Override
		public void guard(Endpoint endpoint, boolean policyInputsSynced) {
			assertThat(endpoint.link()).as("guarded once linked").isNotNull();
			this.guarded.add(endpoint.id());
		}

		@Override
		public void regenerate(Endpoint endpoint) {
			assertThat(endpoint.state()).isEqualTo(EndpointState.REGENERATING);
			if (this.fail) {
				throw new IllegalStateException("program load failed");
			}
			this.regenerated.add(endpoint.id());
		}

		@Override
		public void remove(Endpoint endpoint) {
			this.removed.add(endpoint.id());
		}

		@Override
		public void removeOrphaned(int endpointId) {
			throw new AssertionError("no state file is quarantined here");
		}

	}

}
