package io.jcilium.testsupport;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiCallTest {

	@Test
	void requestsGetTheAuthorizersVerbResourceAndGroup() {
		assertThat(call("GET", "/api/v1/namespaces/default/pods?watch=true&resourceVersion=5"))
			.isEqualTo("watch pods \"\"");
		assertThat(call("GET", "/api/v1/pods")).isEqualTo("list pods \"\"");
		assertThat(call("GET", "/api/v1/nodes/node-1")).isEqualTo("get nodes \"\"");
		assertThat(call("GET", "/api/v1/namespaces/team-a")).isEqualTo("get namespaces \"\"");
		assertThat(call("PUT", "/apis/cilium.io/v2/namespaces/default/ciliumendpoints/db/status"))
			.isEqualTo("update ciliumendpoints/status cilium.io");
		assertThat(call("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases"))
			.isEqualTo("create leases coordination.k8s.io");
		assertThat(call("PATCH", "/apis/cilium.io/v2/ciliumnodes/node-a")).isEqualTo("patch ciliumnodes cilium.io");
		assertThat(call("DELETE", "/api/v1/namespaces/default/pods")).isEqualTo("deletecollection pods \"\"");
		assertThat(ApiCall.of("GET", URI.create("https://h/version"))).isEmpty();
		assertThat(ApiCall.of("GET", URI.create("https://h/apis/cilium.io/v2"))).isEmpty();
	}

	@Test
	void aRecordedLineReadsBack() {
		ApiCall call = new ApiCall("get", "pods", "");
		assertThat(ApiCall.parse(call.line())).isEqualTo(call);
	}

	private static String call(String method, String pathAndQuery) {
		return ApiCall.of(method, URI.create("https://10.0.0.1:6443" + pathAndQuery)).orElseThrow().line();
	}

}
