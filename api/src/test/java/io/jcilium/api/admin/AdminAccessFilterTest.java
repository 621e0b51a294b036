package io.jcilium.api.admin;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule of {@link AdminAccessFilter} request by request: what loopback may do, what
 * another address may do, and that only the socket's addresses decide. The same rule on
 * real sockets from another network namespace is the agent's {@code AdminAccessIT}.
 */
class AdminAccessFilterTest {

	private final AdminAccessFilter filter = new AdminAccessFilter(false, List.of("/actuator/prometheus"));

	@Test
	void loopbackGetsEverythingOverIpv4AndIpv6() throws Exception {
		assertThat(call(this.filter, "POST", "/actuator/config", "127.0.0.1", "127.0.0.1").passed()).isTrue();
		assertThat(call(this.filter, "GET", "/actuator/bpf", "::1", "0:0:0:0:0:0:0:1").passed()).isTrue();
		assertThat(call(this.filter, "GET", "/actuator/health", "::ffff:127.0.0.1", "127.0.0.1").passed()).isTrue();
	}

	@Test
	void anotherAddressGetsOnlyTheMetrics() throws Exception {
		assertThat(call(this.filter, "GET", "/actuator/prometheus", "10.1.0.1", "10.1.0.2").passed()).isTrue();
		Call write = call(this.filter, "POST", "/actuator/config", "10.1.0.1", "10.1.0.2");
		assertThat(write.passed()).isFalse();
		assertThat(write.status()).isEqualTo(403);
		assertThat(write.body()).isEqualTo("POST /actuator/config answers only on loopback "
				+ "(jcilium.admin.access=loopback); from other addresses only GET of /actuator/prometheus\n");
		assertThat(call(this.filter, "GET", "/actuator/health/liveness", "10.1.0.1", "10.1.0.2").status())
			.isEqualTo(403);
		assertThat(call(this.filter, "POST", "/actuator/prometheus", "10.1.0.1", "10.1.0.2").status()).isEqualTo(403);
	}

	// A header or a peer that claims loopback does not make a connection that reached the
	// node's address a loopback one.
	@Test
	void onlyBothSocketAddressesOnLoopbackCount() throws Exception {
		assertThat(call(this.filter, "GET", "/actuator/config", "10.1.0.1", "127.0.0.1").status()).isEqualTo(403);
		assertThat(call(this.filter, "GET", "/actuator/config", "127.0.0.1", "10.1.0.2").status()).isEqualTo(403);
		assertThat(call(this.filter, "GET", "/actuator/config", "localhost", "localhost").status()).isEqualTo(403);
	}

	@Test
	void anyOpensEverything() throws Exception {
		AdminAccessFilter open = new AdminAccessFilter(true, List.of("/actuator/prometheus"));
		assertThat(call(open, "POST", "/actuator/config", "10.1.0.1", "10.1.0.2").passed()).isTrue();
	}

	@Test
	void theStartupLineSaysWhatAnswersWhere() {
		Map<String, String> settings = Map.of("server.port", "9962");
		assertThat(AdminAccessAutoConfiguration.startupLine(
				new AdminAccessProperties(AdminAccessProperties.Access.LOOPBACK, List.of("/actuator/prometheus")),
				settings::get))
			.isEqualTo("HTTP port 9962: GET /actuator/prometheus on every address; health, probes and every admin "
					+ "endpoint on loopback only (jcilium.admin.access=loopback; 'any' opens them)");
		assertThat(AdminAccessAutoConfiguration.startupLine(
				new AdminAccessProperties(AdminAccessProperties.Access.ANY, List.of("/actuator/prometheus")),
				settings::get))
			.startsWith("HTTP port 9962: every endpoint (health, admin, writes such as POST /actuator/config)");
	}

	private record Call(boolean passed, int status, String body) {
	}

	private static Call call(AdminAccessFilter filter, String method, String path, String local, String remote)
			throws Exception {
		Map<String, Object> answers = Map.of("getMethod", method, "getServletPath", path, "getLocalAddr", local,
				"getRemoteAddr", remote);
		HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
				AdminAccessFilterTest.class.getClassLoader(), new Class<?>[] { HttpServletRequest.class },
				(proxy, invoked, args) -> answers.get(invoked.getName()));
		AtomicInteger status = new AtomicInteger(200);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		ServletOutputStream out = new ServletOutputStream() {

			@Override
			public void write(int b) {
				body.write(b);
			}

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public void setWriteListener(WriteListener listener) {
			}

		};
		HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
				AdminAccessFilterTest.class.getClassLoader(), new Class<?>[] { HttpServletResponse.class },
				(proxy, invoked, args) -> switch (invoked.getName()) {
					case "setStatus" -> {
						status.set((Integer) args[0]);
						yield null;
					}
					case "getOutputStream" -> out;
					default -> null;
				});
		AtomicBoolean passed = new AtomicBoolean();
		filter.doFilter(request, response, (req, res) -> passed.set(true));
		return new Call(passed.get(), status.get(), body.toString(StandardCharsets.UTF_8));
	}

}
