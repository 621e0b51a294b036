package io.jcilium.agent.hubble.metrics;

import java.util.List;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.api.hubble.flow.Verdict;

/**
 * {@code hubble_tcp_flags_total{flag, family}}: forwarded TCP packets that open
 * ({@code SYN}, {@code SYN-ACK}), reset ({@code RST}) or close ({@code FIN}) a
 * connection, by IP family.
 */
final class TcpFlagsMetric implements FlowMetric {

	private final LabeledCounter flags;

	TcpFlagsMetric(Counters counters, LabelContext context) {
		this.flags = counters.counter("hubble.tcp.flags", "TCP flag occurrences", List.of("flag", "family"), context);
	}

	@Override
	public void process(Flow flow) {
		if (flow.getVerdict() != Verdict.FORWARDED || !flow.hasIP() || !flow.getL4().hasTCP()
				|| !flow.getL4().getTCP().hasFlags()) {
			return;
		}
		TCPFlags tcp = flow.getL4().getTCP().getFlags();
		String family = flow.getIP().getIpVersion().name();
		if (tcp.getFIN()) {
			this.flags.increment(flow, "FIN", family);
		}
		if (tcp.getSYN()) {
			this.flags.increment(flow, tcp.getACK() ? "SYN-ACK" : "SYN", family);
		}
		if (tcp.getRST()) {
			this.flags.increment(flow, "RST", family);
		}
	}

}
