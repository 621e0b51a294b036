package io.jcilium.common.policy.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import io.jcilium.common.identity.NumericIdentity;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.LabelFilter;
import io.jcilium.common.label.Labels;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.engine.CidrPrefixes;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.EnforcementMode;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.PodLabels;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.common.policy.services.ToServices;

/**
 * A whole cluster in memory for offline traces and conformance tests: identities
 * allocated for pods (by their security-relevant labels), reserved identities, CIDR
 * identities for the prefixes the policies name, and an engine holding the policies with
 * every pod local.
 */
public final class ClusterModel {

	private final PolicyEngine engine;

	private final PolicyTracer tracer;

	private final Map<String, Member> members = new LinkedHashMap<>();

	private ClusterModel(PolicyEngine engine) {
		this.engine = engine;
		this.tracer = new PolicyTracer(engine);
	}

	/**
	 * Build the model.
	 * @param spec namespaces, pods and outside peers
	 * @param parsed the policies as parsed; their {@code toServices} terms are resolved
	 * against the spec's services, as the agent does against the cluster's
	 * @param allowLocalhost whether the host may always reach local pods
	 * @return the model with every pod's policy computed
	 */
	public static ClusterModel build(ClusterSpec spec, List<PolicyObject> parsed, boolean allowLocalhost) {
		List<PolicyObject> policies = parsed.stream()
			.map((policy) -> ToServices.resolve(policy, spec.services()))
			.toList();
		ClusterModel model = new ClusterModel(new PolicyEngine(EnforcementMode.parse(spec.mode()), allowLocalhost));
		PolicyEngine engine = model.engine;
		for (ReservedIdentity reserved : ReservedIdentity.values()) {
			engine.upsertIdentity(Identity.reserved(reserved));
		}
		List<PolicyRule> rules = new ArrayList<>();
		policies.forEach((policy) -> rules.addAll(policy.rules()));
		SortedSet<Cidr> prefixes = CidrPrefixes.required(rules);
		Map<Cidr, Identity> cidrIdentities = new HashMap<>();
		long local = 1;
		for (Cidr prefix : prefixes) {
			Identity identity = Identity.cidr(NumericIdentity.local(local++), prefix);
			cidrIdentities.put(prefix, identity);
			engine.upsertIdentity(identity);
		}
		Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
		spec.namespaces().forEach((ns) -> namespaceLabels.put(ns.name(), ns.labels()));
		Map<Labels, Long> byLabels = new HashMap<>();
		for (ClusterSpec.PodSpec pod : spec.pods()) {
			Labels labels = PodLabels
				.of(pod.namespace(), namespaceLabels.getOrDefault(pod.namespace(), Map.of()), pod.labels(),
						pod.serviceAccount(), spec.clusterName())
				.securityRelevant(LabelFilter.defaults());
			long id = byLabels.computeIfAbsent(labels, (l) -> NumericIdentity.MIN_CLUSTER_LOCAL + byLabels.size());
			Identity identity = Identity.of(id, labels);
			engine.upsertIdentity(identity);
			model.members.put(pod.displayName(), new Member(identity, pod.ports(), true));
		}
		for (ClusterSpec.ExternalSpec external : spec.externals()) {
			Identity identity;
			if (external.entity() != null) {
				identity = Identity.reserved(ReservedIdentity.fromName(external.entity()));
			}
			else {
				Cidr match = CidrPrefixes.longestMatch(prefixes, external.ip());
				// Dual-stack world: an address no policy prefix covers is world-ipv4 or
				// world-ipv6.
				ReservedIdentity world = Cidr.parse(external.ip()).isIpv4() ? ReservedIdentity.WORLD_IPV4
						: ReservedIdentity.WORLD_IPV6;
				identity = (match != null) ? cidrIdentities.get(match) : Identity.reserved(world);
			}
			model.members.put(external.name(), new Member(identity, List.of(), false));
		}
		for (PolicyObject policy : policies) {
			engine.upsertPolicy(policy);
		}
		for (Member member : model.members.values()) {
			if (member.pod()) {
				List<NamedPort> ports = new ArrayList<>(engine.namedPorts(member.identity().id()));
				member.ports().stream().filter((p) -> !ports.contains(p)).forEach(ports::add);
				engine.upsertEndpoint(member.identity().id(), ports);
			}
		}
		return model;
	}

	public PolicyEngine engine() {
		return this.engine;
	}

	/**
	 * Every member name: pods ({@code namespace/name}) then outside peers.
	 * @return names in order
	 */
	public List<String> names() {
		return new ArrayList<>(this.members.keySet());
	}

	/**
	 * Whether the member is a pod.
	 * @param name a member name
	 * @return whether it is a pod
	 */
	public boolean isPod(String name) {
		return member(name).pod();
	}

	/**
	 * The identity of a member.
	 * @param name a member name
	 * @return its identity
	 */
	public Identity identity(String name) {
		return member(name).identity();
	}

	/**
	 * Trace from one member to another through the rules.
	 * @param from source member
	 * @param to destination member
	 * @param port port and protocol
	 * @return the result
	 */
	public TraceResult trace(String from, String to, PortProtocol port) {
		Member source = member(from);
		Member destination = member(to);
		if (from.equals(to) && source.pod()) {
			// A pod reaching its own address stays inside its network namespace: no
			// policy applies.
			return new TraceResult(Verdict.ALLOWED, null, null);
		}
		return this.tracer.trace(source.identity(), destination.identity(),
				this.engine.namedPorts(destination.identity().id()), port.protocol(), port.port());
	}

	/**
	 * The same question answered from the computed map entries alone, as the datapath
	 * would.
	 * @param from source member
	 * @param to destination member
	 * @param port port and protocol
	 * @return whether the connection is allowed
	 */
	public boolean mapStateAllows(String from, String to, PortProtocol port) {
		Member source = member(from);
		Member destination = member(to);
		if (from.equals(to) && source.pod()) {
			return true;
		}
		int protocol = port.protocol().code();
		if (source.pod()) {
			EndpointPolicy policy = this.engine.policy(source.identity().id());
			if (!policy.allows(Direction.EGRESS, destination.identity().id(), protocol, port.port())) {
				return false;
			}
		}
		if (destination.pod()) {
			EndpointPolicy policy = this.engine.policy(destination.identity().id());
			return policy.allows(Direction.INGRESS, source.identity().id(), protocol, port.port());
		}
		return true;
	}

	private Member member(String name) {
		Member member = this.members.get(name);
		if (member == null) {
			throw new IllegalArgumentException("unknown pod or peer '" + name + "', known: " + this.members.keySet());
		}
		return member;
	}

	private record Member(Identity identity, List<NamedPort> ports, boolean pod) {
	}

}
