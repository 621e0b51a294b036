package io.jcilium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

/**
 * Records the Kubernetes API calls a service's own client makes during its integration
 * tests into {@code target/api-calls/<service>.txt}, one {@link ApiCall#line()} per
 * distinct call, so the Helm chart's roles are checked against what the code does rather
 * than against a list written by hand. Only the client this hands out records: the test's
 * own requests (creating the objects the service reacts to) are not the service's and
 * stay out.
 */
public final class ApiCallRecorder implements Interceptor {

	private final Path file;

	private ApiCallRecorder(Path file) {
		this.file = file;
	}

	/**
	 * A client for the service under test, talking to the same (mock) API server as
	 * {@code config}, whose calls are recorded. The caller closes it.
	 * @param service the module's name, e.g. {@code agent-service}
	 * @param config the mock server's client configuration
	 * @return the recording client
	 */
	public static KubernetesClient client(String service, Config config) {
		ApiCallRecorder recorder = new ApiCallRecorder(Path.of("target", "api-calls", service + ".txt"));
		return new KubernetesClientBuilder().withConfig(config)
			.withHttpClientBuilderConsumer((builder) -> builder.addOrReplaceInterceptor("api-call-recorder", recorder))
			.build();
	}

	@Override
	public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
		ApiCall.of(request.method(), request.uri()).ifPresent(this::record);
	}

	private void record(ApiCall call) {
		// One lock for every recorder of the JVM: the test classes share the file.
		synchronized (ApiCallRecorder.class) {
			try {
				Files.createDirectories(this.file.getParent());
				List<String> known = Files.exists(this.file) ? Files.readAllLines(this.file, StandardCharsets.UTF_8)
						: List.of();
				if (!known.contains(call.line())) {
					Files.writeString(this.file, call.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
							StandardOpenOption.APPEND);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot record the API call " + call.line() + " in " + this.file, ex);
			}
		}
	}

}
