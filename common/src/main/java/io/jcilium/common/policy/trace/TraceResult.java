package io.jcilium.common.policy.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * The verdict of a trace with both sides' decisions, like
 * {@code cilium-dbg policy trace}. A side that is not a local endpoint (world, a CIDR, a
 * reserved identity) has no decision.
 *
 * @param verdict allowed only if every evaluated side allows
 * @param egress the source's egress decision, or {@code null}
 * @param ingress the destination's ingress decision, or {@code null}
 */
public record TraceResult(Verdict verdict, DirectionDecision egress, DirectionDecision ingress) {

	/**
	 * A human-readable account.
	 * @return lines explaining each side and the final verdict
	 */
	public List<String> explain() {
		List<String> lines = new ArrayList<>();
		for (DirectionDecision decision : new DirectionDecision[] { this.egress, this.ingress }) {
			if (decision == null) {
				continue;
			}
			lines.add(decision.direction().text() + ": " + decision.verdict().text() + " (" + decision.reason() + ")");
			decision.rules().forEach((rule) -> lines.add("  by " + rule));
		}
		lines.add("final verdict: " + this.verdict.text() + ((this.verdict == Verdict.ALLOWED)
				? "; replies of this connection are allowed by connection tracking" : ""));
		return lines;
	}

}
