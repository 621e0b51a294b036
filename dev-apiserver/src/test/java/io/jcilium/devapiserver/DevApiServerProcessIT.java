package io.jcilium.devapiserver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar as the demo runs it: a ready line naming its URL, a kubeconfig
 * pointing there, and a clean stop on SIGTERM.
 */
class DevApiServerProcessIT {

	private static final Pattern READY = Pattern.compile("dev-apiserver ready on (http://\\S+)");

	@TempDir
	Path temp;

	@Test
	void printsReadyWritesKubeconfigAndStopsOnSigterm() throws Exception {
		Path kubeconfig = this.temp.resolve("kube/config");
		Process process = new ProcessBuilder(javaBinary(), "-XX:TieredStopAtLevel=1", "-jar", jar().toString(),
				"--port", "0", "--kubeconfig", kubeconfig.toString())
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			List<String> lines = new ArrayList<>();
			String url = CompletableFuture.supplyAsync(() -> readUntilReady(output, lines)).get(60, TimeUnit.SECONDS);
			assertThat(url).as("ready line in %s", lines).isNotNull();
			assertThat(Files.readString(kubeconfig)).contains("server: " + url);
			HttpResponse<String> version = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(url + "/version")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(version.body()).contains("\"minor\":\"32\"");

			// SIGTERM; Process.destroy() would also close the output still to be read.
			process.toHandle().destroy();
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM").isTrue();
			assertThat(output.lines().toList()).contains("dev-apiserver stopped");
		}
		finally {
			process.destroyForcibly();
		}
	}

	private static String readUntilReady(BufferedReader output, List<String> lines) {
		try {
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				lines.add(line);
				Matcher ready = READY.matcher(line);
				if (ready.find()) {
					return ready.group(1);
				}
			}
			return null;
		}
		catch (java.io.IOException ex) {
			return null;
		}
	}

	private static Path jar() throws java.io.IOException {
		try (var files = Files.list(Path.of("target"))) {
			return files.filter((f) -> f.getFileName().toString().matches("dev-apiserver-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no dev-apiserver jar in target/; run the package phase"));
		}
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
