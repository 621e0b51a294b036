package io.jcilium.agent.datapath.maps;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.loader.EndpointProgramLoader;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.Direction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A policy change that does not fit the endpoint's real policy map (bpf_lxc's
 * {@code POLICY_MAP_SIZE}) is refused before anything is written: the kernel map keeps
 * every key of the old policy, and packets keep getting the old verdicts.
 */
class PolicyMapFullIT {

	private static final int TC_ACT_OK = 0;

	private static final int TC_ACT_SHOT = 2;

	private static final int PEER_IDENTITY = 2000;

	private static final String POD = "10.0.1.1";

	private static final String PEER = "10.0.2.2";

	private EndpointProgram program;

	@BeforeEach
	void load() throws UnknownHostException {
		KernelRequirements.requireBpf();
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), null);
		this.program = loader.load(new DatapathStructs.LxcConfig(43, 1000, 1, 0));
		this.program.ipcache().put(InetAddress.getByName(PEER), 32, PEER_IDENTITY, null);
		this.program.ipcache().put(InetAddress.getByName(POD), 32, 1000, null);
	}

	@AfterEach
	void close() {
		if (this.program != null) {
			this.program.close();
		}
	}

	@Test
	void aChangeThatOverflowsTheMapIsRefusedAndTheOldPolicyStaysFullyInForce() {
		PolicyMap map = this.program.policy();
		int max = map.maxEntries();
		PolicyMapSync sync = new PolicyMapSync(map, "the policy map of endpoint 43");
		// the old policy: TCP 80 from the peer, plus enough other peers to leave 5 keys
		List<MapEntry> old = new ArrayList<>();
		old.add(new MapEntry(PEER_IDENTITY, Direction.INGRESS, 6, 80, 16, false));
		old.addAll(peers(100_000, max - 6));
		sync.replace(old, true, true);
		Map<DatapathStructs.PolicyKey, Boolean> inForce = map.read();
		assertThat(inForce).hasSize(max - 5);
		assertThat(ingress(80)).isEqualTo(TC_ACT_OK);
		assertThat(ingress(443)).isEqualTo(TC_ACT_SHOT);

		// the new policy moves the peer from 80 to 443 and adds ten peers: 11 new keys
		List<MapEntry> added = new ArrayList<>(peers(200_000, 10));
		added.add(new MapEntry(PEER_IDENTITY, Direction.INGRESS, 6, 443, 16, false));
		List<MapEntry> removed = List.of(old.get(0));
		assertThatExceptionOfType(PolicyMapWriteException.class)
			.isThrownBy(() -> sync.apply(added, removed, true, true))
			.withMessageContaining("holds " + (max - 5) + " of " + max + " keys and the change needs 11 more")
			.withMessageContaining("the previous policy stays in force");

		assertThat(map.read()).isEqualTo(inForce);
		assertThat(ingress(80)).as("the old allow is still there").isEqualTo(TC_ACT_OK);
		assertThat(ingress(443)).as("nothing of the new policy landed").isEqualTo(TC_ACT_SHOT);
	}

	private int ingress(int port) {
		return this.program.toContainer()
			.testRun(Packets.tcp(PEER, POD, 40000 + port, port, Packets.TCP_SYN), 1)
			.retval();
	}

	private static List<MapEntry> peers(int first, int count) {
		List<MapEntry> entries = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			entries.add(new MapEntry(first + i, Direction.INGRESS, 6, 5432, 16, false));
		}
		return entries;
	}

}
