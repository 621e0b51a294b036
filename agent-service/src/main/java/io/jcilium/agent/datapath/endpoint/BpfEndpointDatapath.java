package io.jcilium.agent.datapath.endpoint;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.loader.EndpointProgramLoader;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.tc.TcHooks;
import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.endpoint.EndpointDatapath;
import io.jcilium.agent.link.PodLink;
import io.jcilium.agent.policy.EndpointPolicies;
import io.jcilium.common.identity.ReservedIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eBPF datapath of the local endpoints: the node's one bpf_lxc object, loaded with
 * the first endpoint and kept, and per endpoint its settings (identity, ifindex) in the
 * node's endpoint settings map, its veth's ifindex bound to its id, its policy trie
 * (pinned per endpoint id, in the policy map-of-maps) filled by the policy cell, its
 * entries in the shared endpoints map and ipcache, and the shared programs on the tc
 * hooks of its host-side veth.
 * <p>
 * A new identity for the endpoint is a map write under the running program. Programs are
 * only ever replaced in place (libbpf's tc replace), never detached and attached again: a
 * restarted agent loads a fresh object that reuses the pinned maps, brings each policy
 * trie up to date by differences and swaps the filters, so the endpoint's traffic never
 * meets a missing or empty program.
 */
public final class BpfEndpointDatapath implements EndpointDatapath, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(BpfEndpointDatapath.class);

	private final EndpointProgramLoader loader;

	private final SharedMaps shared;

	private final EndpointPolicyBinding binding;

	private final EndpointEntries entries;

	private final EndpointHooks hooks;

	private final Map<Integer, Loaded> programs = new ConcurrentHashMap<>();

	private final Map<Integer, Object> locks = new ConcurrentHashMap<>();

	/**
	 * A datapath.
	 * @param libbpf the loaded library
	 * @param objectFile the compiled bpf_lxc.o
	 * @param shared the node's shared maps (their layout is where endpoints pin too)
	 * @param policy the policy cell that fills the endpoints' policy maps
	 * @param nodeNamespace the network namespace holding the host-side veths, null for
	 * the agent's own (host network)
	 */
	public BpfEndpointDatapath(Libbpf libbpf, Path objectFile, SharedMaps shared, EndpointPolicies policy,
			Path nodeNamespace) {
		// resident: the node's one bpf_lxc object stays loaded with no endpoint, so the
		// next
		// endpoint is map writes and an attach, never a verifier run
		this.loader = new EndpointProgramLoader(libbpf, objectFile, shared.layout(), true);
		this.shared = shared;
		this.binding = new EndpointPolicyBinding(policy);
		this.entries = new EndpointEntries(shared);
		this.hooks = new EndpointHooks(new TcHooks(libbpf), nodeNamespace);
	}

	@Override
	public void regenerate(Endpoint endpoint) {
		synchronized (lock(endpoint.id())) {
			bringUp(endpoint, endpoint.identity(), true);
		}
	}

	/**
	 * bpf_lxc with upstream's init identity on the endpoint's veth, its endpoint and
	 * ipcache entries written, and its policy map holding the init identity's policy, or,
	 * while the policy inputs have not synced, nothing (every IP packet dropped,
	 * DROP_POLICY). {@link #regenerate} later switches the same program to the endpoint's
	 * own identity with a write of its settings, not a second load.
	 */
	@Override
	public void guard(Endpoint endpoint, boolean policyInputsSynced) {
		synchronized (lock(endpoint.id())) {
			bringUp(endpoint, ReservedIdentity.INIT.id(), policyInputsSynced);
		}
	}

	/**
	 * Same as {@link #regenerate}: a fresh object picks up the pinned policy map with the
	 * previous run's entries, only differences are written, and the running filters are
	 * replaced atomically.
	 */
	@Override
	public void restore(Endpoint endpoint) {
		regenerate(endpoint);
	}

	@Override
	public void remove(Endpoint endpoint) {
		synchronized (lock(endpoint.id())) {
			int id = endpoint.id();
			// Local pods stop delivering to it directly (tail call into its policy
			// program) first; also when this process never loaded it (removed right
			// after a restart).
			this.shared.maps().policyCalls().remove(id);
			PodLink link = endpoint.link();
			if (link != null) {
				this.hooks.detach(link.hostIfIndex(), endpoint.hostIfName());
				this.shared.maps().endpointIfindex().removeIfBound(link.hostIfIndex(), id);
			}
			this.binding.detach(id);
			Loaded loaded = this.programs.remove(id);
			if (loaded != null) {
				loaded.program().close();
			}
			this.entries.remove(endpoint);
			this.entries.removePinned(id);
		}
		this.locks.remove(endpoint.id());
	}

	/**
	 * What an endpoint of a quarantined state file left: this process never loaded it,
	 * and its veth (with the programs on it) is gone with its orphan.
	 */
	@Override
	public void removeOrphaned(int endpointId) {
		synchronized (lock(endpointId)) {
			if (this.programs.containsKey(endpointId)) {
				throw new IllegalStateException("endpoint id " + endpointId + " belongs to a live endpoint again");
			}
			this.shared.maps().policyCalls().remove(endpointId);
			this.entries.removePinned(endpointId);
		}
		this.locks.remove(endpointId);
	}

	/**
	 * The loaded program of an endpoint (tests and the console).
	 * @param endpointId the endpoint id
	 * @return the program, or null
	 */
	public EndpointProgram program(int endpointId) {
		Loaded loaded = this.programs.get(endpointId);
		return (loaded != null) ? loaded.program() : null;
	}

	/**
	 * Every loaded program by endpoint id, as they are now (Hubble's per-rule bytes read
	 * their policy maps' counters).
	 * @return a copy
	 */
	public Map<Integer, EndpointProgram> programs() {
		Map<Integer, EndpointProgram> programs = new TreeMap<>();
		this.programs.forEach((id, loaded) -> programs.put(id, loaded.program()));
		return programs;
	}

	public BpffsLayout layout() {
		return this.shared.layout();
	}

	/** Releases this process's handles; programs, pins and filters stay in the kernel. */
	@Override
	public void close() {
		this.programs.forEach((id, loaded) -> {
			this.binding.dropMap(id);
			loaded.program().close();
		});
		this.programs.clear();
		this.loader.close();
	}

	private Object lock(int endpointId) {
		return this.locks.computeIfAbsent(endpointId, (id) -> new Object());
	}

	/**
	 * Loads the endpoint's program if this process has none yet, else keeps it, and
	 * writes its maps and settings for {@code identity}; without {@code withPolicy} its
	 * policy map is emptied instead (deny all) and the policy cell does not write it.
	 */
	private void bringUp(Endpoint endpoint, long identity, boolean withPolicy) {
		PodLink link = endpoint.link();
		if (link == null) {
			throw new IllegalStateException("endpoint " + endpoint.id() + " has no link yet: connect the pod first");
		}
		if (identity <= 0 || identity > 0xffffffffL) {
			throw new IllegalStateException("endpoint " + endpoint.id() + " has no valid identity (" + identity + ")");
		}
		DatapathStructs.LxcConfig config = new DatapathStructs.LxcConfig(endpoint.id(), (int) identity,
				link.hostIfIndex(), 0);
		Loaded current = this.programs.get(endpoint.id());
		if (current != null) {
			reconfigure(endpoint, config, withPolicy, current);
			return;
		}
		EndpointProgram program = this.loader.load(config);
		BpfEndpointPolicyMap policyMap;
		try {
			// policy and addresses first, so the program is complete when it takes over
			policyMap = new BpfEndpointPolicyMap(endpoint.id(), program);
			this.binding.write(endpoint, identity, withPolicy, policyMap);
			this.entries.write(endpoint, link, link.hostIfIndex(), (int) identity);
			this.hooks.attach(link.hostIfIndex(), program);
		}
		catch (RuntimeException ex) {
			// Loading registered the new program for local delivery; hand it back. The
			// settings entry stays: a program of an earlier run may still read it.
			this.shared.maps().policyCalls().remove(endpoint.id());
			this.binding.dropMap(endpoint.id());
			program.close();
			throw ex;
		}
		this.programs.put(endpoint.id(), new Loaded(program, policyMap, withPolicy));
		log.debug("endpoint {}: programs attached to {} (ifindex {}, identity {})", endpoint.id(), link.hostIfName(),
				link.hostIfIndex(), identity);
	}

	/**
	 * The running program stays (on a new host-side veth, attached there first); its
	 * policy map, its entries and then its settings (the identity the program uses) are
	 * brought up to date. On a failure the previous settings and their policy go back.
	 */
	private void reconfigure(Endpoint endpoint, DatapathStructs.LxcConfig config, boolean withPolicy, Loaded current) {
		DatapathStructs.LxcConfig previous = current.program().config();
		try {
			if (config.ifindex() != previous.ifindex()) {
				// the host-side veth was made anew: the same programs go on its hooks
				this.hooks.attach(config.ifindex(), current.program());
			}
			this.binding.write(endpoint, config.identity(), withPolicy, current.policyMap());
			this.entries.write(endpoint, endpoint.link(), config.ifindex(), config.identity());
			current.program().configure(config);
		}
		catch (RuntimeException ex) {
			try {
				this.binding.write(endpoint, previous.identity(), current.withPolicy(), current.policyMap());
				this.entries.write(endpoint, endpoint.link(), previous.ifindex(), previous.identity());
				current.program().configure(previous);
			}
			catch (RuntimeException rollBackFailure) {
				ex.addSuppressed(rollBackFailure);
			}
			throw ex;
		}
		this.programs.put(endpoint.id(), new Loaded(current.program(), current.policyMap(), withPolicy));
	}

	/**
	 * An endpoint's loaded object, the policy map handle the policy cell knows and
	 * whether that map holds computed policy (else deny-all).
	 */
	private record Loaded(EndpointProgram program, BpfEndpointPolicyMap policyMap, boolean withPolicy) {

	}

}
