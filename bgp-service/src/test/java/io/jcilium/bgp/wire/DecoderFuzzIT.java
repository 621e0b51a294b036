package io.jcilium.bgp.wire;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded coverage-guided fuzz run of the message decoder with Jazzer (libFuzzer for
 * the JVM; it instruments the codec's classes and keeps every input that reaches new
 * code): {@link DecoderFuzzTarget} must survive {@code jcilium.fuzz.seconds} (default 30,
 * the short form CI runs) of generated input, starting from one valid message of each
 * kind. Jazzer runs in its own JVM, as it needs its agent from the start. A finding fails
 * the test with the input and the exception; the crash file and a Java reproducer stay in
 * the run's directory.
 */
class DecoderFuzzIT {

	private static final int FUZZ_SECONDS = Integer.getInteger("jcilium.fuzz.seconds", 30);

	private static final Pattern DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");

	@TempDir
	Path work;

	@Test
	void noInputMakesTheDecoderThrowAnythingButANotificationItCanSend() throws Exception {
		Path corpus = seedCorpus();
		int seeds = DecoderFuzzTarget.seeds().size();

		Run run = jazzer(DecoderFuzzTarget.class, FUZZ_SECONDS, corpus);

		assertThat(run.exitCode()).as("Jazzer's verdict (0: no finding); its output ends:%n%s", run.tail()).isZero();
		Matcher done = DONE.matcher(run.output());
		assertThat(done.find()).as("Jazzer's summary line in:%n%s", run.tail()).isTrue();
		long runs = Long.parseLong(done.group(1));
		long grown;
		try (Stream<Path> files = Files.list(corpus)) {
			grown = files.count() - seeds;
		}
		System.out.printf("decoder fuzz: %d inputs in %s s, %d new corpus entries beyond %d seeds%n", runs,
				done.group(2), grown, seeds);
		assertThat(runs).as("inputs tried").isGreaterThan(1000);
		assertThat(grown).as("inputs kept for reaching new code in the codec: the run is coverage-guided").isPositive();
	}

	@Test
	void theHarnessReportsAFindingWithTheInputThatCausedIt() throws Exception {
		Path corpus = seedCorpus();

		Run run = jazzer(PlantedBugFuzzTarget.class, Math.max(120, FUZZ_SECONDS), corpus);

		assertThat(run.output()).as("the planted bug found; output ends:%n%s", run.tail())
			.contains(PlantedBugFuzzTarget.PLANTED);
		assertThat(run.exitCode()).isNotZero();
		try (Stream<Path> files = Files.list(this.work)) {
			assertThat(files.map((file) -> file.getFileName().toString())).as("the crashing input is kept")
				.anyMatch((name) -> name.startsWith("crash-"));
		}
	}

	private Path seedCorpus() throws IOException {
		Path corpus = Files.createDirectories(this.work.resolve("corpus"));
		List<byte[]> seeds = DecoderFuzzTarget.seeds();
		for (int i = 0; i < seeds.size(); i++) {
			Files.write(corpus.resolve("seed-" + i), seeds.get(i));
		}
		return corpus;
	}

	private Run jazzer(Class<?> target, int seconds, Path corpus) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// A bounded heap: by default the JVM would take a quarter of the machine's
		// memory.
		command.add("-Xmx1g");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add("com.code_intelligence.jazzer.Jazzer");
		command.add("--target_class=" + target.getName());
		// Coverage of the codec only: the fuzzer's effort goes where the parsing is.
		command.add("--instrumentation_includes=io.jcilium.bgp.wire.**");
		command.add("--reproducer_path=" + this.work);
		command.add("-artifact_prefix=" + this.work + File.separator);
		command.add("-max_total_time=" + seconds);
		command.add("-max_len=4200");
		command.add("-rss_limit_mb=4096");
		command.add("-seed=" + Long.getLong("jcilium.fuzz.seed", 1));
		command.add(corpus.toString());
		Path log = this.work.resolve("jazzer.log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.directory(this.work.toFile())
			.start();
		// A generous bound on top of the fuzzing time: start-up and a loaded machine.
		if (!process.waitFor(seconds + 300L, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
			throw new AssertionError("Jazzer did not stop after " + seconds + " s of fuzzing plus 300 s; output:\n"
					+ Files.readString(log, StandardCharsets.UTF_8));
		}
		return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
	}

	private record Run(int exitCode, String output) {

		String tail() {
			String[] lines = this.output.split("\n");
			return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 60), lines.length));
		}

	}

}
