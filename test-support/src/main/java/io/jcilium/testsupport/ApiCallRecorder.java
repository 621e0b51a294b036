package io.jcilium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Records the Kubernetes API calls a service's own client makes during its integration
 * tests into {@code target/api-calls/<service>.txt}, one {@link ApiCall#line()} per
 * distinct call, so the Helm chart's roles are checked against what the code does rather
 * than against a list written by hand. Only the client this hands out records: the test's
 * own requests (creating the objects the service reacts to) are not the service's and
 * stay out.
 * <p>
 * The file's first line names the Maven run that recorded it ({@code jcilium.build.id},
 * the same in every module of one reactor run): the first call of a new run starts the
 * file afresh, and {@link #recordedInThisBuild} returns nothing for a file of an earlier
 * run, so a stale recording can neither satisfy nor break the check. Without the property
 * (a test started from an IDE) each JVM counts as its own run.
 */
public final class ApiCallRecorder implements Interceptor {

	/** The system property the parent pom sets for every test JVM of a Maven run. */
	public static final String BUILD_ID_PROPERTY = "jcilium.build.id";

	private static final String HEADER_PREFIX = "# build ";

	private static final String THIS_JVM = "jvm-" + ProcessHandle.current().pid() + "-"
			+ ProcessHandle.current().info().startInstant().map(Object::toString).orElse("");

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
		return client(service, config, new KubernetesSerialization());
	}

	/**
	 * A client for the service under test, as {@link #client(String, Config)}, reading
	 * and writing objects as the service's own client does.
	 * @param service the module's name, e.g. {@code agent-service}
	 * @param config the mock server's client configuration
	 * @param serialization the service's JSON mapping
	 * @return the recording client
	 */
	public static KubernetesClient client(String service, Config config, KubernetesSerialization serialization) {
		ApiCallRecorder recorder = new ApiCallRecorder(Path.of("target", "api-calls", service + ".txt"));
		return new KubernetesClientBuilder().withConfig(config)
			.withKubernetesSerialization(serialization)
			.withHttpClientBuilderConsumer((builder) -> builder.addOrReplaceInterceptor("api-call-recorder", recorder))
			.build();
	}

	/**
	 * The calls recorded in a file during the Maven run this JVM belongs to.
	 * @param file a recording, e.g.
	 * {@code ../agent-service/target/api-calls/agent-service.txt}
	 * @return the calls, or empty if there is no such file or it is from another run
	 * @throws IOException if the file cannot be read
	 */
	public static Optional<List<ApiCall>> recordedInThisBuild(Path file) throws IOException {
		if (!Files.isRegularFile(file)) {
			return Optional.empty();
		}
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		if (lines.isEmpty() || !lines.get(0).equals(header())) {
			return Optional.empty();
		}
		return Optional.of(lines.stream().skip(1).filter((line) -> !line.isBlank()).map(ApiCall::parse).toList());
	}

	/**
	 * The id of the Maven run this JVM belongs to.
	 * @return the run's id, or one of this JVM's own outside Maven
	 */
	public static String buildId() {
		String id = System.getProperty(BUILD_ID_PROPERTY);
		return (id != null && !id.isBlank()) ? id : THIS_JVM;
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
				List<String> lines = Files.exists(this.file) ? Files.readAllLines(this.file, StandardCharsets.UTF_8)
						: List.of();
				if (lines.isEmpty() || !lines.get(0).equals(header())) {
					// The first call of this run: whatever an earlier run left goes.
					List<String> fresh = new ArrayList<>(List.of(header(), call.line()));
					Files.write(this.file, fresh, StandardCharsets.UTF_8);
				}
				else if (!lines.contains(call.line())) {
					Files.writeString(this.file, call.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot record the API call " + call.line() + " in " + this.file, ex);
			}
		}
	}

	private static String header() {
		return HEADER_PREFIX + buildId();
	}

}
