package io.jcilium.agent.datapath.endpoint;

import java.nio.file.Path;

import io.jcilium.agent.datapath.libbpf.LibBpfException;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.datapath.tc.TcAttachPoint;
import io.jcilium.agent.datapath.tc.TcHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tc hooks of endpoints' host-side veths, in the namespace that holds them: an
 * endpoint's program pair goes on both at once, replacing what runs there (libbpf's tc
 * replace), so traffic never meets a missing program.
 */
final class EndpointHooks {

	private static final Logger log = LoggerFactory.getLogger(EndpointHooks.class);

	private final TcHooks tc;

	private final Path nodeNamespace;

	/**
	 * @param tc the tc hooks of the agent's libbpf
	 * @param nodeNamespace the network namespace holding the host-side veths, null for
	 * the agent's own
	 */
	EndpointHooks(TcHooks tc, Path nodeNamespace) {
		this.tc = tc;
		this.nodeNamespace = nodeNamespace;
	}

	void attach(int ifindex, EndpointProgram program) {
		NetworkNamespace.call(this.nodeNamespace, () -> {
			this.tc.attach(ifindex, TcAttachPoint.INGRESS, program.fromContainer());
			this.tc.attach(ifindex, TcAttachPoint.EGRESS, program.toContainer());
			return null;
		});
	}

	void detach(int ifindex, String device) {
		try {
			NetworkNamespace.call(this.nodeNamespace, () -> {
				this.tc.detach(ifindex, TcAttachPoint.INGRESS);
				this.tc.detach(ifindex, TcAttachPoint.EGRESS);
				return null;
			});
		}
		catch (LibBpfException ex) {
			// the veth is gone already (pod deleted first): nothing left attached
			log.debug("endpoint device {} (ifindex {}): nothing to detach: {}", device, ifindex, ex.getMessage());
		}
	}

}
