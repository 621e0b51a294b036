package io.jcilium.cli.hubble;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstream's compact lines, character for character: a request, its reply (sides flipped,
 * {@code <-}), a drop (direction unknown, {@code <>}, the reason as the type), a policy
 * verdict and ICMP between addresses without pods.
 */
class CompactPrinterTest {

	@Test
	void printsFlowsAsUpstreamsCompactOutput() {
		assertThat(CompactPrinter.line(TestFlows.syn())).isEqualTo(
				"Dec  5 07:23:41.123: shop/frontend:43210 (ID:12345) -> shop/backend:8080 (ID:23456) to-endpoint "
						+ "FORWARDED (TCP Flags: SYN)");
		assertThat(CompactPrinter.line(TestFlows.synAck())).isEqualTo(
				"Dec  5 07:23:41.124: shop/frontend:43210 (ID:12345) <- shop/backend:8080 (ID:23456) to-endpoint "
						+ "FORWARDED (TCP Flags: SYN, ACK)");
		assertThat(CompactPrinter.line(TestFlows.policyDrop())).isEqualTo(
				"Dec  5 07:23:41.500: 203.0.113.9:5353 (world) <> shop/backend:53 (ID:23456) Policy denied DROPPED "
						+ "(UDP)");
		assertThat(CompactPrinter.line(TestFlows.verdict()))
			.isEqualTo("Dec  5 07:23:41.123: shop/frontend:43210 (ID:12345) -> shop/backend:8080 (ID:23456) "
					+ "policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN)");
		assertThat(CompactPrinter.line(TestFlows.echo()))
			.isEqualTo("Dec  5 07:23:41.900: 10.0.1.5 (ID:12345) -> 10.0.2.7 (ID:23456) to-stack FORWARDED "
					+ "(ICMPv4 EchoRequest)");
	}

	@Test
	void aSummaryTheServerSentIsPrintedAsItIs() {
		assertThat(CompactPrinter.line(TestFlows.syn().toBuilder().setSummary("TCP Flags: SYN, ECE, CWR").build()))
			.endsWith("FORWARDED (TCP Flags: SYN, ECE, CWR)");
	}

}
