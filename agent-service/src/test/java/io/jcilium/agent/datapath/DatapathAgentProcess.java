package io.jcilium.agent.datapath;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.agent.datapath.events.EventReader;
import io.jcilium.agent.datapath.events.EventType;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.loader.EndpointProgramLoader;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyEntries;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.datapath.tc.TcAttachPoint;

/**
 * The Java side of the datapath as its own process, for the restart test: what the agent
 * does on start (load every endpoint's programs against the pinned maps, attach them
 * replacing whatever is attached, read events), then commands on stdin, answers on
 * stdout. Killed with SIGTERM or SIGKILL it leaves programs attached and maps pinned, as
 * the agent does.
 * <p>
 * {@code DatapathAgentProcess <bpffs-prefix> <node-netns> <endpoint-id>:<identity>:<host-if>...}
 * <p>
 * Prints {@code ready} once attached, {@code drop reason=.. src=.. dst=.. endpoint=..
 * dport=..} per drop event. Commands: {@code allow|deny <endpoint-id> <peer-identity>
 * tcp|icmp <port|type>} (ingress), {@code allow-egress <endpoint-id>} (anything out),
 * {@code show-policy <endpoint-id>} (one {@code policy <key>} line per entry, then
 * {@code end}).
 */
public final class DatapathAgentProcess {

	private final Map<Integer, EndpointProgram> endpoints = new LinkedHashMap<>();

	private EventReader reader;

	private DatapathAgentProcess() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length < 3) {
			System.err.println("usage: <bpffs-prefix> <node-netns> <endpoint-id>:<identity>:<host-if>...");
			System.exit(2);
		}
		DatapathAgentProcess agent = new DatapathAgentProcess();
		Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "datapath-agent-stop"));
		List<String> specs = new ArrayList<>(List.of(args).subList(2, args.length));
		agent.start(new BpffsLayout(BpffsLayout.DEFAULT_ROOT, args[0]), PodTopology.namespacePath(args[1]), specs);
		System.out.println("ready");
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			try {
				agent.command(line.trim().split("\\s+"));
			}
			catch (RuntimeException ex) {
				System.out.println("error " + ex.getMessage());
			}
		}
	}

	private void start(BpffsLayout layout, Path nodeNs, List<String> specs) {
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), layout);
		for (String spec : specs) {
			String[] parts = spec.split(":");
			int endpointId = Integer.parseInt(parts[0]);
			int ifindex = NetworkNamespace.interfaceIndex(nodeNs, parts[2]);
			EndpointProgram program = loader
				.load(new DatapathStructs.LxcConfig(endpointId, Integer.parseInt(parts[1]), ifindex, 0));
			this.endpoints.put(endpointId, program);
			NetworkNamespace.call(nodeNs, () -> {
				TestLibbpf.tcHooks().attach(ifindex, TcAttachPoint.INGRESS, program.fromContainer());
				TestLibbpf.tcHooks().attach(ifindex, TcAttachPoint.EGRESS, program.toContainer());
				return null;
			});
		}
		this.reader = new EventReader(this.endpoints.values().iterator().next().events(), (event) -> {
			if (event.type() == EventType.DROP) {
				System.out.println("drop reason=" + event.header().subtype() + " src=" + event.sourceIdentity()
						+ " dst=" + event.destinationIdentity() + " endpoint=" + event.endpointId() + " dport="
						+ event.destinationPort());
			}
		});
		this.reader.start();
	}

	private void command(String[] words) {
		switch (words[0]) {
			case "allow", "deny" -> {
				int identity = Integer.parseInt(words[2]);
				int number = Integer.parseInt(words[4]);
				boolean deny = words[0].equals("deny");
				endpoint(words[1]).policy()
					.put(words[3].equals("icmp")
							? PolicyEntries.icmp(identity, TrafficDirection.INGRESS, PolicyEntries.ICMP, number, deny)
							: PolicyEntries.ports(identity, TrafficDirection.INGRESS, PolicyEntries.TCP, number, number,
									deny));
				System.out.println("ok");
			}
			case "allow-egress" -> {
				endpoint(words[1]).policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
				System.out.println("ok");
			}
			case "show-policy" -> {
				endpoint(words[1]).policy().entries().keySet().forEach((key) -> System.out.println("policy " + key));
				System.out.println("end");
			}
			default -> System.out.println("error unknown command " + words[0]);
		}
	}

	private EndpointProgram endpoint(String id) {
		EndpointProgram program = this.endpoints.get(Integer.parseInt(id));
		if (program == null) {
			throw new IllegalArgumentException("no endpoint " + id);
		}
		return program;
	}

	/** SIGTERM: release this process's handles only; programs and pins stay. */
	private void stop() {
		if (this.reader != null) {
			this.reader.close();
		}
		this.endpoints.values().forEach(EndpointProgram::close);
	}

}
