package io.jcilium.testsupport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * fabric8's mock API server in CRUD mode, taught the two things of the certificates API
 * it lacks, the way a real API server does them, so that code written for a real one runs
 * against it unchanged:
 * <ul>
 * <li>creating a CertificateSigningRequest records who asked in {@code spec.username},
 * {@code spec.groups} and {@code spec.extra}, from the caller's authentication
 * (overwriting whatever the client put there). The mock authenticates no one, so the
 * caller is the one a client impersonates ({@code Impersonate-User},
 * {@code Impersonate-Group}, {@code Impersonate-Extra-<key>} headers, as fabric8's
 * {@code Config.setImpersonate*} sends them); without them the fields stay empty.</li>
 * <li>the {@code approval} subresource (on which the mock fails: it never answers) sets
 * the request's conditions and keeps the rest of its status.</li>
 * </ul>
 * The {@code status} subresource the mock already serves.
 */
public final class CertificatesApi extends Dispatcher {

	private static final String COLLECTION = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

	private static final Pattern APPROVAL = Pattern.compile(Pattern.quote(COLLECTION) + "/([^/?]+)/approval(\\?.*)?");

	private static final String EXTRA_HEADER = "impersonate-extra-";

	private final Dispatcher store;

	private CertificatesApi(Dispatcher store) {
		this.store = store;
	}

	/**
	 * A started mock server in CRUD mode with the certificates API above.
	 * @return the server; the caller destroys it
	 */
	public static KubernetesMockServer start() {
		KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
				new CertificatesApi(new KubernetesMixedDispatcher(new HashMap<>())), false);
		server.init();
		return server;
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) {
		String path = request.getPath();
		if (request.method() == HttpMethod.POST && path.split("\\?")[0].equals(COLLECTION)) {
			return this.store.dispatch(copy(request, HttpMethod.POST, path, recordRequester(request)));
		}
		Matcher approval = APPROVAL.matcher(path);
		if (request.method() == HttpMethod.PUT && approval.matches()) {
			return approve(request, approval.group(1));
		}
		return this.store.dispatch(request);
	}

	private String recordRequester(RecordedRequest request) {
		CertificateSigningRequest csr = Serialization.unmarshal(request.getUtf8Body(), CertificateSigningRequest.class);
		Map<String, List<String>> extra = new HashMap<>();
		List<String> groups = new ArrayList<>();
		for (Map.Entry<String, List<String>> header : request.getHeaders().toMultimap().entrySet()) {
			String name = header.getKey().toLowerCase();
			if (name.startsWith(EXTRA_HEADER)) {
				String key = URLDecoder.decode(name.substring(EXTRA_HEADER.length()), StandardCharsets.UTF_8);
				extra.computeIfAbsent(key, (k) -> new ArrayList<>()).addAll(header.getValue());
			}
			else if ("impersonate-group".equals(name)) {
				groups.addAll(header.getValue());
			}
		}
		csr.getSpec().setUsername(request.getHeader("Impersonate-User"));
		csr.getSpec().setGroups(groups);
		csr.getSpec().setExtra(extra);
		csr.getSpec().setUid(null);
		return Serialization.asJson(csr);
	}

	private MockResponse approve(RecordedRequest request, String name) {
		MockResponse current = this.store.dispatch(copy(request, HttpMethod.GET, COLLECTION + "/" + name, ""));
		if (current.code() != 200) {
			return current;
		}
		CertificateSigningRequest stored = Serialization.unmarshal(current.getBody().readUtf8(),
				CertificateSigningRequest.class);
		CertificateSigningRequest sent = Serialization.unmarshal(request.getUtf8Body(),
				CertificateSigningRequest.class);
		CertificateSigningRequestStatus status = (stored.getStatus() != null) ? stored.getStatus()
				: new CertificateSigningRequestStatus();
		status.setConditions((sent.getStatus() != null) ? sent.getStatus().getConditions() : List.of());
		stored.setStatus(status);
		return this.store
			.dispatch(copy(request, HttpMethod.PUT, COLLECTION + "/" + name + "/status", Serialization.asJson(stored)));
	}

	private static RecordedRequest copy(RecordedRequest request, HttpMethod method, String path, String body) {
		return new RecordedRequest(request.getHttpVersion(), method, path, request.getHeaders(),
				new Buffer(body.getBytes(StandardCharsets.UTF_8)));
	}

}
