package io.jcilium.cli.hubble;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetNamespacesRequest;
import io.jcilium.api.hubble.observer.GetNodesRequest;
import io.jcilium.api.hubble.observer.GetNodesResponse;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.cli.endpoint.EndpointCompletions;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code hubble observe}, {@code hubble status}, {@code hubble list nodes} and
 * {@code hubble list namespaces}, upstream's Hubble CLI over the Observer gRPC API: the
 * relay by default, one agent with {@code --server host:port}.
 */
@Component
public class HubbleCommands {

	private static final long CALL_TIMEOUT_SECONDS = 10;

	private static final JsonFormat.Printer PROTO_JSON = JsonFormat.printer().preservingProtoFieldNames();

	private final ServiceAddresses addresses;

	public HubbleCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "hubble observe", group = "Hubble", completionProvider = EndpointCompletions.PODS,
			description = "Show flows, as upstream's hubble observe", help = """
					hubble observe [--server HOST:PORT] [-o compact|json] [--follow] [--last N | --since 5m]
					               [--pod P] [--from-pod P] [--to-pod P] [--namespace NS] [--label SELECTOR]
					               [--verdict V] [--protocol P] [--port N] [--identity ID] [--drop-reason R]
					  Pods are [namespace/]name-prefix; --pod, --namespace, --label, --port and --identity
					  match either side. Several values: comma-separated (not --label). Without --last,
					  --since or --follow: the last 20 flows. --follow runs until Ctrl-C or the stream ends.""")
	void observe(@Option(longName = "server", description = "one agent or relay, host:port") String server,
			@Option(longName = "output", shortName = 'o', description = "compact or json",
					defaultValue = "compact") String output,
			@Option(longName = "follow", shortName = 'f', description = "keep printing new flows",
					defaultValue = "false") boolean follow,
			@Option(longName = "last", description = "the last N flows") String last,
			@Option(longName = "since", description = "flows since a duration ago (5m) or a time") String since,
			@Option(longName = "pod", description = "from or to pods") String pod,
			@Option(longName = "from-pod", description = "from pods") String fromPod,
			@Option(longName = "to-pod", description = "to pods") String toPod,
			@Option(longName = "namespace", description = "from or to a namespace") String namespace,
			@Option(longName = "label", description = "from or to endpoints matching a selector") String label,
			@Option(longName = "verdict", description = "FORWARDED, DROPPED, AUDIT, ...") String verdict,
			@Option(longName = "protocol", description = "tcp, udp, icmp, ...") String protocol,
			@Option(longName = "port", description = "from or to ports") String port,
			@Option(longName = "identity", description = "from or to security identities") String identity,
			@Option(longName = "drop-reason", description = "e.g. POLICY_DENIED") String dropReason,
			CommandContext context) {
		if (!output.equals("compact") && !output.equals("json")) {
			throw new IllegalArgumentException("--output '" + output + "' is not one of compact, json");
		}
		ObserveFilters filters = new ObserveFilters().pod(pod)
			.fromPod(fromPod)
			.toPod(toPod)
			.namespace(namespace)
			.label(label)
			.verdict(verdict)
			.protocol(protocol)
			.port(port)
			.identity(identity)
			.dropReason(dropReason);
		GetFlowsRequest request = ObserveRequest.build(filters, ObserveRequest.last(last), since, follow,
				Clock.systemUTC());
		FlowsPrinter printer = new FlowsPrinter(output.equals("json"), context.outputWriter(),
				new PrintWriter(System.err, true));
		try (HubbleServer hubble = HubbleServer.open(server, this.addresses)) {
			new FlowsCall(hubble, request, printer).run();
		}
	}

	@Command(name = "hubble status", group = "Hubble",
			description = "Health, flows held and flows per second of the relay or one agent")
	void status(@Option(longName = "server", description = "one agent or relay, host:port") String server,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		try (HubbleServer hubble = HubbleServer.open(server, this.addresses)) {
			try {
				ServingStatus health = HealthGrpc.newBlockingStub(hubble.channel())
					.withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
					.check(HealthCheckRequest.getDefaultInstance())
					.getStatus();
				ServerStatusResponse status = ObserverGrpc.newBlockingStub(hubble.channel())
					.withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
					.serverStatus(ServerStatusRequest.getDefaultInstance());
				String healthcheck = (health == ServingStatus.SERVING) ? "Ok" : health.name();
				if (format.table()) {
					print(context, StatusText.render(hubble.target(), healthcheck, status));
				}
				else {
					// The server's status as its JSON, beside the health check's answer.
					ObjectNode data = JsonMapper.shared().createObjectNode();
					data.put("healthcheck", healthcheck);
					data.setAll((ObjectNode) protoJson(status));
					format.print(context.outputWriter(), data);
				}
			}
			catch (StatusRuntimeException ex) {
				throw hubble.failure(ex);
			}
		}
	}

	@Command(name = "hubble list nodes", group = "Hubble", description = "The nodes the relay (or agent) knows")
	void listNodes(@Option(longName = "server", description = "one agent or relay, host:port") String server,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		try (HubbleServer hubble = HubbleServer.open(server, this.addresses)) {
			try {
				GetNodesResponse nodes = ObserverGrpc.newBlockingStub(hubble.channel())
					.withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
					.getNodes(GetNodesRequest.getDefaultInstance());
				if (format.table()) {
					print(context, NodesTable.render(nodes.getNodesList()));
				}
				else {
					format.print(context.outputWriter(), protoJson(nodes));
				}
			}
			catch (StatusRuntimeException ex) {
				throw hubble.failure(ex);
			}
		}
	}

	@Command(name = "hubble list namespaces", group = "Hubble",
			description = "The namespaces of the flows of the last hour, as upstream's hubble list namespaces")
	void listNamespaces(@Option(longName = "server", description = "one agent or relay, host:port") String server,
			@Option(longName = "output", shortName = 'o', description = "table, wide (with the cluster) or json",
					defaultValue = "table") String output,
			CommandContext context) {
		// Checked before any call, so a bad format is a usage error.
		NamespacesOutput.render(output, java.util.List.of());
		try (HubbleServer hubble = HubbleServer.open(server, this.addresses)) {
			try {
				print(context,
						NamespacesOutput.render(output,
								ObserverGrpc.newBlockingStub(hubble.channel())
									.withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
									.getNamespaces(GetNamespacesRequest.getDefaultInstance())
									.getNamespacesList()));
			}
			catch (StatusRuntimeException ex) {
				throw hubble.failure(ex);
			}
		}
	}

	// A response as protobuf's JSON mapping writes it, field names as in the proto.
	private static JsonNode protoJson(MessageOrBuilder message) {
		try {
			return JsonMapper.shared().readTree(PROTO_JSON.print(message));
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException("cannot write " + message.getClass().getSimpleName() + " as JSON", ex);
		}
	}

	private static void print(CommandContext context, String text) {
		PrintWriter out = context.outputWriter();
		out.print(text);
		out.flush();
	}

}
