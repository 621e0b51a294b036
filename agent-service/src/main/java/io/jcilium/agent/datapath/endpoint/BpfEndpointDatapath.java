package io.jcilium.agent.datapath.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eBPF datapath of the local endpoints: per endpoint, bpf_lxc loaded with the
 * endpoint's settings, its policy map (pinned per endpoint id) filled by the policy cell,
 * its entries in the shared endpoints map and ipcache, and the programs on the tc hooks
 * of its host-side veth.
 * <p>
 * Programs are only ever replaced in place (libbpf's tc replace), never detached and
 * attached again: a restarted agent loads a fresh object that reuses the pinned maps,
 * brings the policy map up to date by differences and swaps the filters, so the
 * endpoint's traffic never meets a missing or empty program.
 */
public final class BpfEndpointDatapath implements EndpointDatapath, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(BpfEndpointDatapath.class);

	private final EndpointProgramLoader loader;

	private final SharedMaps shared;

	private final EndpointPolicies policy;

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
		this.loader = new EndpointProgramLoader(libbpf, objectFile, shared.layout());
		this.shared = shared;
		this.policy = policy;
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
	 * DROP_POLICY). {@link #regenerate} later replaces the program in place.
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
			}
			this.policy.detach(id);
			Loaded loaded = this.programs.remove(id);
			if (loaded != null) {
				loaded.program().close();
			}
			this.entries.remove(endpoint);
			try {
				Files.deleteIfExists(this.shared.layout().policyMap(id));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot unpin the policy map of endpoint " + id, ex);
			}
		}
		this.locks.remove(endpoint.id());
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

	public BpffsLayout layout() {
		return this.shared.layout();
	}

	/** Releases this process's handles; programs, pins and filters stay in the kernel. */
	@Override
	public void close() {
		this.programs.forEach((id, loaded) -> {
			this.policy.dropMap(id);
			loaded.program().close();
		});
		this.programs.clear();
	}

	private Object lock(int endpointId) {
		return this.locks.computeIfAbsent(endpointId, (id) -> new Object());
	}

	/**
	 * Loads or keeps the endpoint's program for {@code identity} and writes its maps;
	 * without {@code withPolicy} its policy map is emptied instead (deny all) and the
	 * policy cell does not write it.
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
		if (current != null && current.program().config().equals(config)) {
			// same settings: the running program stays, only maps are brought up to date
			writePolicy(endpoint, identity, withPolicy, current.policyMap());
			this.entries.write(endpoint, link, link.hostIfIndex(), (int) identity);
			return;
		}
		EndpointProgram program = this.loader.load(config);
		BpfEndpointPolicyMap policyMap;
		try {
			// policy and addresses first, so the program is complete when it takes over
			policyMap = new BpfEndpointPolicyMap(endpoint.id(), program);
			writePolicy(endpoint, identity, withPolicy, policyMap);
			this.entries.write(endpoint, link, link.hostIfIndex(), (int) identity);
			this.hooks.attach(link.hostIfIndex(), program);
		}
		catch (RuntimeException ex) {
			try {
				rollBack(endpoint, current);
			}
			catch (RuntimeException rollBackFailure) {
				ex.addSuppressed(rollBackFailure);
			}
			finally {
				program.close();
			}
			throw ex;
		}
		this.programs.put(endpoint.id(), new Loaded(program, policyMap));
		if (current != null) {
			current.program().close();
		}
		log.debug("endpoint {}: programs attached to {} (ifindex {}, identity {})", endpoint.id(), link.hostIfName(),
				link.hostIfIndex(), identity);
	}

	/**
	 * After a failed swap: the previous program (if any) back on both hooks and its
	 * settings back in the maps; the policy cell never keeps the handle that is closed.
	 */
	private void rollBack(Endpoint endpoint, Loaded previous) {
		// Loading registered the new program for local delivery; hand it back.
		if (previous == null) {
			this.shared.maps().policyCalls().remove(endpoint.id());
			this.policy.dropMap(endpoint.id());
			return;
		}
		previous.program().policyCalls().register(endpoint.id(), previous.program().lxcPolicy());
		DatapathStructs.LxcConfig config = previous.program().config();
		this.policy.attach(endpoint.id(), config.identity(), labels(endpoint, config.identity()), endpoint.namedPorts(),
				previous.policyMap());
		this.entries.write(endpoint, endpoint.link(), config.ifindex(), config.identity());
		this.hooks.attach(config.ifindex(), previous.program());
	}

	private void writePolicy(Endpoint endpoint, long identity, boolean withPolicy, BpfEndpointPolicyMap map) {
		if (withPolicy) {
			this.policy.attach(endpoint.id(), identity, labels(endpoint, identity), endpoint.namedPorts(), map);
			return;
		}
		// Not computed from part of the cluster's rules: nothing allowed, whatever a map
		// pinned under this endpoint id held before.
		this.policy.detach(endpoint.id());
		map.replace(new EndpointPolicy(identity, true, true, new TreeMap<>()));
	}

	/** The labels of the init identity are its own, not the pod's (not known yet). */
	private static Labels labels(Endpoint endpoint, long identity) {
		return (identity == ReservedIdentity.INIT.id()) ? ReservedIdentity.INIT.labels() : endpoint.securityLabels();
	}

	/** An endpoint's loaded object and the policy map handle the policy cell knows. */
	private record Loaded(EndpointProgram program, BpfEndpointPolicyMap policyMap) {

	}

}
