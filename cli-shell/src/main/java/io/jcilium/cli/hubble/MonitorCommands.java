package io.jcilium.cli.hubble;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.jcilium.api.hubble.flow.EventTypeFilter;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.services.ServiceAddresses.ServiceAddress;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code monitor}: the agent's live datapath events, as upstream's {@code cilium-dbg
 * monitor} prints them, read from the agent's Observer API ({@code GetFlows} with
 * {@code follow}, the event types as a filter, so the agent sends only what is shown).
 */
@Component
public class MonitorCommands {

	/** Upstream's {@code --type} names for the events our datapath emits. */
	private static final Map<String, Integer> TYPES = new LinkedHashMap<>();

	static {
		TYPES.put("drop", MonitorLines.DROP);
		TYPES.put("trace", MonitorLines.TRACE);
		TYPES.put("policy-verdict", MonitorLines.POLICY_VERDICT);
	}

	private final ServiceAddresses addresses;

	private static final JsonFormat.Printer EVENT_JSON = JsonFormat.printer()
		.preservingProtoFieldNames()
		.omittingInsignificantWhitespace();

	public MonitorCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "monitor", group = "Agent",
			description = "Live datapath events of the agent: traces, drops, verdicts", help = """
					monitor [--type drop|trace|policy-verdict[,...]] [--server HOST:PORT] [-o json|yaml]
					  Prints each event the agent's datapath reports from now on, in upstream's
					  cilium-dbg monitor lines, until Ctrl-C. --type keeps only those event types.
					  Reads the agent's Observer API (jcilium.services.agent.grpc, or --server).
					  -o json prints each event as one JSON line, -o yaml as one YAML document.""")
	void monitor(@Option(longName = "type", shortName = 't', description = "drop, trace or policy-verdict") String type,
			@Option(longName = "server", description = "the agent's Observer API, host:port") String server,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		GetFlowsRequest.Builder request = GetFlowsRequest.newBuilder().setFollow(true);
		if (type != null && !type.isBlank()) {
			FlowFilter.Builder filter = FlowFilter.newBuilder();
			for (String name : type.split(",")) {
				filter.addEventType(EventTypeFilter.newBuilder().setType(type(name)));
			}
			request.addWhitelist(filter);
		}
		FlowsPrinter printer = new FlowsPrinter(
				(response) -> format.table() ? MonitorLines.line(response.getFlow()) : event(format, response),
				context.outputWriter(), new PrintWriter(System.err, true));
		try (HubbleServer agent = HubbleServer.open(agent(server), this.addresses)) {
			if (format.table()) {
				context.outputWriter().println("Listening for events on " + agent.target() + ". Press Ctrl-C to quit");
				context.outputWriter().flush();
			}
			new FlowsCall(agent, request.build(), printer).run();
		}
	}

	/**
	 * One event for scripts: JSON on one line (as upstream's {@code monitor -o json}
	 * prints one object per event), YAML as one document each; the flow as protobuf's
	 * JSON mapping writes it.
	 */
	private static String event(OutputFormat format, GetFlowsResponse response) {
		String json;
		try {
			json = EVENT_JSON.print(response.getFlow());
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException("cannot print an event as JSON: " + ex.getMessage(), ex);
		}
		if (format == OutputFormat.JSON) {
			return json;
		}
		StringWriter yaml = new StringWriter();
		format.print(new PrintWriter(yaml), JsonMapper.shared().readTree(json));
		return "---\n" + yaml.toString().stripTrailing();
	}

	private String agent(String server) {
		if (server != null && !server.isBlank()) {
			return server;
		}
		ServiceAddress agent = this.addresses.services().get("agent");
		return (agent != null && agent.grpc() != null) ? agent.grpc() : "localhost:4244";
	}

	private static int type(String name) {
		Integer type = TYPES.get(name.strip().toLowerCase(Locale.ROOT));
		if (type == null) {
			throw new IllegalArgumentException(
					"--type '" + name.strip() + "' is not an event type the datapath reports: " + "use one of "
							+ String.join(", ", TYPES.keySet()));
		}
		return type;
	}

}
