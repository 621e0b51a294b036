package io.jcilium.agent.hubble.metrics;

import java.util.List;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.Verdict;

/**
 * {@code hubble_port_distribution_total{protocol, port}}: forwarded requests by
 * destination port (ICMP as port 0). Replies, and flows not known to be requests, are
 * left out, as upstream: their destination port is the client's.
 */
final class PortDistributionMetric implements FlowMetric {

	private final LabeledCounter ports;

	PortDistributionMetric(Counters counters, LabelContext context) {
		this.ports = counters.counter("hubble.port.distribution", "Numbers of packets distributed by destination port",
				List.of("protocol", "port"), context);
	}

	@Override
	public void process(Flow flow) {
		Verdict verdict = flow.getVerdict();
		if ((verdict != Verdict.FORWARDED && verdict != Verdict.REDIRECTED) || !flow.hasL4() || !flow.hasIsReply()
				|| flow.getIsReply().getValue()) {
			return;
		}
		Layer4 l4 = flow.getL4();
		switch (l4.getProtocolCase()) {
			case TCP -> this.ports.increment(flow, "TCP", Integer.toString(l4.getTCP().getDestinationPort()));
			case UDP -> this.ports.increment(flow, "UDP", Integer.toString(l4.getUDP().getDestinationPort()));
			case SCTP -> this.ports.increment(flow, "SCTP", Integer.toString(l4.getSCTP().getDestinationPort()));
			case ICMPV4 -> this.ports.increment(flow, "ICMPv4", "0");
			case ICMPV6 -> this.ports.increment(flow, "ICMPv6", "0");
			default -> {
			}
		}
	}

}
