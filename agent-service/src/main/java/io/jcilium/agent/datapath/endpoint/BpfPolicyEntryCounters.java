package io.jcilium.agent.datapath.endpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyEntry;
import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;
import io.jcilium.agent.datapath.maps.PolicyKeys;
import io.jcilium.agent.policy.PolicyEntryCounters;
import io.jcilium.agent.policy.PolicyMapContents;
import io.jcilium.agent.policy.RealizedPolicies;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.MapEntry;

/**
 * The entry counters of the local endpoints' BPF policy maps: each endpoint's map is read
 * whole (one dump, not one lookup per entry: a lookup in the LPM trie would find the
 * longest prefix, not the exact key) and matched with the policy its identity has now. An
 * endpoint removed while it is read is left out; the next read goes on without it. One
 * endpoint's map is also read whole for {@code bpf policy get}, every key it holds, each
 * joined with the engine's entry written as that key.
 */
public final class BpfPolicyEntryCounters implements PolicyEntryCounters, PolicyMapContents {

	private final Supplier<Map<Integer, EndpointProgram>> programs;

	private final RealizedPolicies policies;

	/**
	 * @param programs the endpoints' loaded programs by endpoint id, as they are now
	 * @param policies the local identities' policies
	 */
	public BpfPolicyEntryCounters(Supplier<Map<Integer, EndpointProgram>> programs, RealizedPolicies policies) {
		this.programs = programs;
		this.policies = policies;
	}

	@Override
	public void read(EntryVisitor visitor) {
		this.programs.get().forEach((endpointId, program) -> read(endpointId, program, visitor));
	}

	private void read(int endpointId, EndpointProgram program, EntryVisitor visitor) {
		EndpointPolicy policy = this.policies.policy(Integer.toUnsignedLong(program.config().identity()));
		if (policy == null) {
			return;
		}
		Map<PolicyKey, PolicyEntry> stored;
		try {
			stored = program.policy().entries();
		}
		catch (RuntimeException ex) {
			// the endpoint went away meanwhile, its map with it
			return;
		}
		for (MapEntry entry : policy.entries()) {
			PolicyEntry value = stored.get(PolicyKeys.key(entry));
			if (value != null) {
				visitor.entry(endpointId, entry, policy.derivedFrom(entry), value.packets(), value.bytes());
			}
		}
	}

	@Override
	public boolean read(int endpointId, PolicyMapContents.KeyVisitor visitor) {
		EndpointProgram program = this.programs.get().get(endpointId);
		if (program == null) {
			return false;
		}
		Map<PolicyKey, PolicyEntry> stored;
		try {
			stored = program.policy().entries();
		}
		catch (RuntimeException ex) {
			// the endpoint went away meanwhile, its map with it
			return false;
		}
		EndpointPolicy policy = this.policies.policy(Integer.toUnsignedLong(program.config().identity()));
		Map<PolicyKey, MapEntry> written = new HashMap<>();
		if (policy != null) {
			policy.entries().forEach((entry) -> written.put(PolicyKeys.key(entry), entry));
		}
		stored.forEach((key, value) -> visitor.entry(Integer.toUnsignedLong(key.identity()), key.egress(),
				key.protocol(), key.port(), key.prefixLength() - PolicyKeys.STATIC_PREFIX, value.deny(),
				value.proxyPort(), value.packets(), value.bytes(), written.get(key)));
		return true;
	}

}
