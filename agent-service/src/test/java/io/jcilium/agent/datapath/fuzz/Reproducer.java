package io.jcilium.agent.datapath.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a disagreement leaves behind: a directory per seed with the pods file and the
 * policies exactly as generated (readable by {@code policy trace --offline}), and the
 * disagreeing connections with both sides' answers and how to replay the seed.
 */
final class Reproducer {

	/** Where reproducers go, relative to the module (Failsafe runs there). */
	static final Path ROOT = Path.of("target", "fuzz-reproducers");

	private Reproducer() {
	}

	/**
	 * A connection on which the trace and the datapath disagree.
	 *
	 * @param probe the connection
	 * @param round 1 before the policy change, 2 after it
	 * @param traceAllowed the offline trace's verdict
	 * @param mapStateAllowed the verdict of the engine's computed map entries
	 * @param datapathDelivered whether real packets got through
	 * @param explanation the trace's account of its verdict
	 */
	record Disagreement(FuzzScenario.Probe probe, int round, boolean traceAllowed, boolean mapStateAllowed,
			boolean datapathDelivered, List<String> explanation) {

		@Override
		public String toString() {
			return "round " + this.round + ", " + this.probe + ": trace " + word(this.traceAllowed)
					+ ", engine map state " + word(this.mapStateAllowed) + ", datapath "
					+ (this.datapathDelivered ? "delivered" : "dropped");
		}

		private static String word(boolean allowed) {
			return allowed ? "allowed" : "denied";
		}

	}

	/**
	 * Writes the reproducer of one seed.
	 * @param scenario the scenario
	 * @param disagreements what disagreed
	 * @return the directory written
	 */
	static Path write(FuzzScenario scenario, List<Disagreement> disagreements) {
		Path dir = ROOT.resolve("seed-" + scenario.seed());
		try {
			Files.createDirectories(dir.resolve("policies"));
			Files.writeString(dir.resolve("pods.yaml"), scenario.podsYaml());
			for (int i = 0; i < scenario.policies().size(); i++) {
				Files.writeString(dir.resolve("policies").resolve(String.format("%02d.yaml", i)),
						scenario.policies().get(i));
			}
			if (scenario.change().added() != null) {
				Files.writeString(dir.resolve("added.yaml"), scenario.change().added());
			}
			List<String> lines = new ArrayList<>();
			lines.add("seed: " + scenario.seed());
			lines.add("replay: " + replayCommand(scenario.seed()));
			lines.add("after the first round of probes: " + scenario.change());
			Path absolute = dir.toAbsolutePath();
			lines.add("offline trace (round 1): scripts/cli.sh policy trace --offline --policies "
					+ absolute.resolve("policies") + " --pods " + absolute.resolve("pods.yaml")
					+ " --ports PORT/PROTO");
			for (Disagreement disagreement : disagreements) {
				lines.add("");
				lines.add(disagreement.toString());
				disagreement.explanation().forEach((line) -> lines.add("  " + line));
			}
			Files.write(dir.resolve("disagreements.txt"), lines);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the reproducer of seed " + scenario.seed(), ex);
		}
		return dir;
	}

	static String replayCommand(long seed) {
		return "./mvnw -B -q -pl agent-service -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
				+ " -Dit.test=DifferentialPolicyFuzzIT -Dfuzz.seed=" + seed;
	}

}
