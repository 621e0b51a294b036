package io.jcilium.agent.service;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.agent.service.lb.FrontendKind;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbFrontend;
import io.jcilium.agent.service.lb.ProgrammedFrontend;
import io.jcilium.agent.service.lb.Scope;
import io.jcilium.common.net.IpAddress;

/**
 * One programmed frontend as {@code GET /actuator/service} shows it; the console's
 * {@code service list|get} and {@code bpf lb list} print it.
 *
 * @param id the service ID (rev NAT index), as upstream's {@code service list}
 * @param service {@code namespace/name}
 * @param frontend {@code address:port/protocol}, IPv6 in brackets
 * @param scope {@code external}, or {@code internal} for the in-cluster entry of a
 * service with two scopes
 * @param type upstream's service type: ClusterIP, NodePort, ExternalIPs, LoadBalancer
 * @param flags the master entry's flags by upstream's names ({@code Local},
 * {@code InternalLocal}, {@code sessionAffinity}, {@code two-scopes},
 * {@code non-routable})
 * @param affinityTimeoutSeconds with {@code sessionAffinity}, else 0
 * @param backends slot 1, 2, ... in order; empty means new connections are refused
 */
public record ServiceEntry(int id, String service, String frontend, String scope, String type, List<String> flags,
		int affinityTimeoutSeconds, List<Backend> backends) {

	static ServiceEntry of(ProgrammedFrontend programmed) {
		LbFrontend frontend = programmed.frontend();
		List<Backend> backends = new ArrayList<>();
		for (int i = 0; i < frontend.backends().size(); i++) {
			backends.add(Backend.of(i + 1, programmed.backendIds().get(i), frontend.backends().get(i)));
		}
		return new ServiceEntry(programmed.id(), programmed.service().toString(), frontend.key().address().toString(),
				(frontend.key().scope() == Scope.INTERNAL) ? "internal" : "external", frontend.kind().displayName(),
				flags(frontend.kind(), frontend.flags()), frontend.affinityTimeoutSeconds(), backends);
	}

	private static List<String> flags(FrontendKind kind, int flags) {
		List<String> names = new ArrayList<>();
		if ((flags & FrontendKind.EXT_LOCAL) != 0) {
			names.add("Local");
		}
		if ((flags & FrontendKind.INT_LOCAL) != 0) {
			names.add("InternalLocal");
		}
		if ((flags & FrontendKind.AFFINITY) != 0) {
			names.add("sessionAffinity");
		}
		if ((flags & FrontendKind.TWO_SCOPES) != 0) {
			names.add("two-scopes");
		}
		if (kind == FrontendKind.CLUSTER_IP) {
			// a ClusterIP is served to in-cluster clients only
			names.add("non-routable");
		}
		return names;
	}

	/**
	 * A backend in one slot of the frontend.
	 *
	 * @param slot 1..count
	 * @param backendId the backend map's key
	 * @param address the backend's address
	 * @param port its port
	 * @param protocol its protocol
	 * @param state {@code active}: only backends new connections may get are written
	 */
	public record Backend(int slot, int backendId, String address, int port, String protocol, String state) {

		static Backend of(int slot, int backendId, L4Address backend) {
			return new Backend(slot, backendId, IpAddress.format(backend.address()), backend.port(),
					backend.protocol().displayName(), "active");
		}

	}

}
