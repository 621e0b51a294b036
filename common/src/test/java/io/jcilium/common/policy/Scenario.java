package io.jcilium.common.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.jcilium.common.policy.trace.ClusterSpec;
import io.jcilium.common.policy.trace.PortProtocol;
import io.jcilium.common.policy.trace.Verdict;

/**
 * One conformance scenario read from YAML: a cluster (by default the Kubernetes e2e
 * layout: namespaces x, y, z labelled {@code ns=<name>}, pods a, b, c labelled
 * {@code pod=<name>} with named ports {@code serve-80-tcp} ...), policies, ports, and the
 * expected reachability as a default plus ordered expectations
 * {@code allow|deny FROM -> TO [PORTS]} where FROM and TO are globs over member names
 * ({@code x/*}, {@code *}/a, {@code *}) and later lines win. A pod reaching itself is
 * always allowed.
 */
record Scenario(String file, String name, ClusterSpec cluster, String policies, List<PortProtocol> ports,
		Verdict defaultVerdict, List<Expectation> expectations) {

	static final List<String> DEFAULT_PORTS = List.of("80/TCP", "81/TCP", "80/UDP", "81/UDP", "80/SCTP", "81/SCTP");

	Verdict expected(String from, String to, PortProtocol port) {
		if (from.equals(to)) {
			// A pod reaching itself never leaves its network namespace (the e2e suite's
			// loopback).
			return Verdict.ALLOWED;
		}
		Verdict verdict = this.defaultVerdict;
		for (Expectation expectation : this.expectations) {
			if (expectation.from().matcher(from).matches() && expectation.to().matcher(to).matches()
					&& (expectation.ports().isEmpty() || expectation.ports().contains(port))) {
				verdict = expectation.verdict();
			}
		}
		return verdict;
	}

	@SuppressWarnings("unchecked")
	static Scenario from(String file, Map<String, Object> yaml) {
		String name = String.valueOf(yaml.get("name"));
		ClusterSpec cluster = cluster(yaml);
		Object portsValue = yaml.get("ports");
		List<String> portTexts = (portsValue != null) ? (List<String>) portsValue : DEFAULT_PORTS;
		List<PortProtocol> ports = portTexts.stream().map(PortProtocol::parse).toList();
		Map<String, Object> expect = (Map<String, Object>) yaml.get("expect");
		Verdict defaultVerdict = verdict(String.valueOf(expect.get("default")));
		List<Expectation> expectations = new ArrayList<>();
		for (Object line : (List<Object>) expect.getOrDefault("rules", List.of())) {
			expectations.add(Expectation.parse(String.valueOf(line)));
		}
		Object policies = yaml.get("policies");
		return new Scenario(file, name, cluster, (policies != null) ? String.valueOf(policies) : "", ports,
				defaultVerdict, expectations);
	}

	@SuppressWarnings("unchecked")
	private static ClusterSpec cluster(Map<String, Object> yaml) {
		Map<String, Object> spec = new LinkedHashMap<>();
		List<Object> namespaces = new ArrayList<>();
		List<Object> pods = new ArrayList<>();
		if (yaml.get("namespaces") == null) {
			for (String ns : List.of("x", "y", "z")) {
				namespaces.add(Map.of("name", ns, "labels", Map.of("ns", ns)));
				for (String pod : List.of("a", "b", "c")) {
					pods.add(defaultPod(ns, pod));
				}
			}
		}
		else {
			namespaces.addAll((List<Object>) yaml.get("namespaces"));
		}
		pods.addAll((List<Object>) yaml.getOrDefault("pods", List.of()));
		spec.put("namespaces", namespaces);
		spec.put("pods", pods);
		spec.put("externals", yaml.getOrDefault("externals", List.of()));
		spec.put("mode", yaml.getOrDefault("mode", "default"));
		return ClusterSpec.parse(new org.yaml.snakeyaml.Yaml().dump(spec));
	}

	private static Map<String, Object> defaultPod(String ns, String pod) {
		List<Object> ports = new ArrayList<>();
		for (String port : List.of("80", "81")) {
			for (String protocol : List.of("TCP", "UDP", "SCTP")) {
				ports.add(Map.of("name", "serve-" + port + "-" + protocol.toLowerCase(), "port", Integer.parseInt(port),
						"protocol", protocol));
			}
		}
		return Map.of("namespace", ns, "name", pod, "labels", Map.of("pod", pod), "ports", ports);
	}

	private static Verdict verdict(String text) {
		return switch (text) {
			case "allow", "allowed" -> Verdict.ALLOWED;
			case "deny", "denied" -> Verdict.DENIED;
			default -> throw new IllegalArgumentException("expected allow or deny, got '" + text + "'");
		};
	}

	@Override
	public String toString() {
		return this.file + ": " + this.name;
	}

	record Expectation(Verdict verdict, Pattern from, Pattern to, List<PortProtocol> ports) {

		static Expectation parse(String line) {
			String[] parts = line.trim().split("\\s+");
			if (parts.length < 4 || !parts[2].equals("->")) {
				throw new IllegalArgumentException("expected 'allow|deny FROM -> TO [PORTS]', got '" + line + "'");
			}
			List<PortProtocol> ports = (parts.length > 4) ? PortProtocol.parseList(parts[4]) : List.of();
			return new Expectation(Scenario.verdict(parts[0]), glob(parts[1]), glob(parts[3]), ports);
		}

		private static Pattern glob(String glob) {
			StringBuilder regex = new StringBuilder();
			for (char c : glob.toCharArray()) {
				regex.append((c == '*') ? ".*" : Pattern.quote(String.valueOf(c)));
			}
			return Pattern.compile(regex.toString());
		}

	}

}
