package io.jcilium.cli.hubble;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.relay.NodeStatusEvent;

/**
 * Prints {@code GetFlows} responses as {@code hubble observe} does: flows on the output
 * stream, compact or as upstream's JSON (the whole response, proto field names, one per
 * line); relay node errors and lost events on the error stream, so a pipe of flows stays
 * clean but nothing is missed silently.
 */
final class FlowsPrinter {

	private static final JsonFormat.Printer JSON = JsonFormat.printer()
		.preservingProtoFieldNames()
		.omittingInsignificantWhitespace();

	private final Function<GetFlowsResponse, String> flowLine;

	private final PrintWriter out;

	private final PrintWriter err;

	FlowsPrinter(boolean json, PrintWriter out, PrintWriter err) {
		this(json ? FlowsPrinter::json : (response) -> CompactPrinter.line(response.getFlow()), out, err);
	}

	/**
	 * A printer writing each flow as {@code flowLine} renders its response.
	 */
	FlowsPrinter(Function<GetFlowsResponse, String> flowLine, PrintWriter out, PrintWriter err) {
		this.flowLine = flowLine;
		this.out = out;
		this.err = err;
	}

	/**
	 * Prints one response; the caller flushes whenever nothing more is pending, so a
	 * followed stream shows each flow as it comes without a write per flow in a burst.
	 */
	void print(GetFlowsResponse response) {
		switch (response.getResponseTypesCase()) {
			case FLOW -> this.out.println(this.flowLine.apply(response));
			case NODE_STATUS -> nodeStatus(response);
			case LOST_EVENTS -> this.err.println(prefix(response) + ": EVENTS LOST: "
					+ response.getLostEvents().getSource().name() + " " + response.getLostEvents().getNumEventsLost());
			default -> {
			}
		}
	}

	void flush() {
		this.out.flush();
		this.err.flush();
	}

	/** Upstream prints only the node events that mean missing flows, unless debugging. */
	private void nodeStatus(GetFlowsResponse response) {
		NodeStatusEvent status = response.getNodeStatus();
		List<String> nodes = status.getNodeNamesList();
		String names = String.join(", ", nodes);
		switch (status.getStateChange()) {
			case NODE_UNAVAILABLE ->
				this.err.println(prefix(response) + ": " + nodes.size() + " nodes are unavailable: " + names);
			case NODE_ERROR -> this.err.println(prefix(response) + ": Error \"" + status.getMessage() + "\" on "
					+ nodes.size() + " nodes: " + names);
			default -> {
			}
		}
	}

	private static String prefix(GetFlowsResponse response) {
		return CompactPrinter.time(response.hasTime() ? response.getTime() : null) + " [" + response.getNodeName()
				+ "]";
	}

	private static String json(GetFlowsResponse response) {
		try {
			return JSON.print(response);
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException("cannot print a flow as JSON: " + ex.getMessage(), ex);
		}
	}

}
