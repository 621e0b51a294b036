package io.jcilium.agent.datapath.endpoint;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyEntry;
import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;
import io.jcilium.agent.policy.EndpointPolicyMap;

/**
 * An endpoint's pinned BPF policy map, written key by key and announced to the endpoint's
 * program once per batch (one policy revision bump, not one per key).
 */
final class BpfEndpointPolicyMap implements EndpointPolicyMap {

	private final EndpointProgram program;

	private final BpfMap map;

	BpfEndpointPolicyMap(EndpointProgram program) {
		this.program = program;
		this.map = program.policy().bpfMap();
	}

	@Override
	public Map<PolicyKey, Boolean> read() {
		Map<PolicyKey, Boolean> keys = new HashMap<>();
		program.policy().entries().forEach((key, entry) -> keys.put(key, entry.deny()));
		return keys;
	}

	@Override
	public void write(Map<PolicyKey, Boolean> upserts, Collection<PolicyKey> deletes) {
		upserts.forEach((key, deny) -> this.map.update(key.encode(),
				new PolicyEntry(deny, 0, key.prefixLength(), 0, 0).encode(), BpfMap.ANY));
		for (PolicyKey key : deletes) {
			this.map.delete(key.encode());
		}
		this.program.bumpPolicyRevision();
	}

}
