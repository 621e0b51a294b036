package io.jcilium.agent.cni;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * CNI_CONTAINERID, CNI_IFNAME and CNI_NETNS against the CNI spec's rules. The expected
 * code is the spec's own number, not this plugin's constant: CNI spec 1.0, "Well-known
 * Error Codes", 4 = "Invalid necessary environment variables, like CNI_COMMAND,
 * CNI_CONTAINERID, etc. The error message must contain the names of invalid variables."
 */
class CniInvocationTest {

	private static final int SPEC_INVALID_ENVIRONMENT_VARIABLES = 4;

	private static final String CONTAINER = "0123456789abcdef0123456789abcdef";

	/**
	 * Spec 1.0, section 2 "Parameters": "Must start with an alphanumeric character,
	 * optionally followed by any combination of one or more alphanumeric characters,
	 * underscore (_), dot (.) or hyphen (-)."
	 */
	@ParameterizedTest
	@ValueSource(strings = { "a", "A_b.c-d", "9", "podman-1234_x.y", CONTAINER })
	void containerIdsTheSpecAllowsAreAccepted(String id) {
		assertThat(parse(id, "eth0", "/run/netns/x").containerId()).isEqualTo(id);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "a b", " a", "a\tb", "a\nb", "-a", "_a", ".a", "a/b", "a;b", "a:b", "é", "a\u0000b", "a=b" })
	void containerIdsOutsideTheSpecAreRefusedNamingTheVariable(String id) {
		assertRefused(id, "eth0", "/run/netns/x", "CNI_CONTAINERID");
	}

	/** Linux interface names (dev_valid_name) as the spec's libcni checks them. */
	@ParameterizedTest
	@ValueSource(strings = { "eth0", "net1", "e", "a.b-c_d", "abcdefghijklmno" })
	void interfaceNamesLinuxAcceptsAreAccepted(String name) {
		assertThat(parse(CONTAINER, name, "/run/netns/x").ifName()).isEqualTo(name);
	}

	@ParameterizedTest
	@ValueSource(strings = { ".", "..", "abcdefghijklmnop", "a/b", "a:b", "a b", "a\tb", "a\nb", "eth0\u000b" })
	void interfaceNamesLinuxRefusesAreRefusedNamingTheVariable(String name) {
		assertRefused(CONTAINER, name, "/run/netns/x", "CNI_IFNAME");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/run/netns/cni-1234", "/var/run/netns/x", "/proc/42/ns/net" })
	void namespacePathsAreAccepted(String path) {
		assertThat(parse(CONTAINER, "eth0", path).netns()).isEqualTo(path);
	}

	@ParameterizedTest
	@ValueSource(strings = { "run/netns/x", "/run/netns/../../etc/passwd", "/run/netns/./x", "/run/netns/x y",
			"/run/netns/x\n", "/" })
	void namespacePathsThatAreNotCleanAbsolutePathsAreRefused(String path) {
		assertRefused(CONTAINER, "eth0", path, "CNI_NETNS");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a b", "-a", "a/b" })
	void delChecksTheContainerIdToo(String id) {
		assertThatExceptionOfType(CniException.class)
			.isThrownBy(() -> CniInvocation.parse(request(id, "eth0", null), false))
			.satisfies((ex) -> assertThat(ex.error().code()).isEqualTo(SPEC_INVALID_ENVIRONMENT_VARIABLES));
	}

	private static void assertRefused(String id, String ifName, String netns, String variable) {
		assertThatExceptionOfType(CniException.class).isThrownBy(() -> parse(id, ifName, netns)).satisfies((ex) -> {
			assertThat(ex.error().code()).isEqualTo(SPEC_INVALID_ENVIRONMENT_VARIABLES);
			assertThat(ex.error().msg() + " " + ex.error().details()).contains(variable);
		});
	}

	private static CniInvocation parse(String id, String ifName, String netns) {
		return CniInvocation.parse(request(id, ifName, netns), true);
	}

	private static HttpRequest request(String id, String ifName, String netns) {
		Map<String, String> headers = new HashMap<>();
		headers.put("x-cni-containerid", id);
		headers.put("x-cni-ifname", ifName);
		if (netns != null) {
			headers.put("x-cni-netns", netns);
		}
		return new HttpRequest("PUT", "/v1/cni/add", headers,
				"{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"jcilium-cni\"}".getBytes(StandardCharsets.UTF_8));
	}

}
