package io.jcilium.cli.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.jcilium.common.policy.trace.OfflineTrace;
import io.jcilium.common.policy.trace.OfflineTrace.Source;
import io.jcilium.common.policy.trace.PortProtocol;

/**
 * Reads what {@code policy trace --offline} traces: every {@code *.yaml} / {@code *.yml}
 * file of a policy directory (in name order) and the pods file, then hands their names
 * and contents to the I/O-free {@link OfflineTrace}.
 */
final class PolicyTraceFiles {

	private PolicyTraceFiles() {
	}

	/**
	 * Compute the matrix from files.
	 * @param policiesDir a directory of policy YAML files
	 * @param podsYaml the pods file
	 * @param ports the ports and protocols to trace
	 * @return one line per (from, to, port) and a summary line
	 * @throws IllegalArgumentException starting with the file's name if a file is invalid
	 * @throws UncheckedIOException if a file cannot be read
	 */
	static List<String> trace(Path policiesDir, Path podsYaml, List<PortProtocol> ports) {
		Source pods = read(podsYaml, "pods file");
		List<Source> policies = new ArrayList<>();
		for (Path file : policyFiles(policiesDir)) {
			policies.add(read(file, "policy file"));
		}
		return OfflineTrace.run(pods, policies, ports);
	}

	private static Source read(Path file, String what) {
		try {
			return new Source(file.getFileName().toString(), Files.readString(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + what + " " + file, ex);
		}
	}

	private static List<Path> policyFiles(Path dir) {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter((f) -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot list policy directory " + dir, ex);
		}
	}

}
