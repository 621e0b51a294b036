package io.jcilium.agent.service.translate;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What translation needs to know about this node.
 *
 * @param nodeName this node, for the Local traffic policies
 * @param addresses the addresses NodePort frontends are opened on
 */
public record NodeView(String nodeName, List<InetAddress> addresses) {

	public NodeView {
		Objects.requireNonNull(nodeName, "nodeName");
		addresses = List.copyOf(addresses);
	}

}
