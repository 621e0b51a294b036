package io.jcilium.testsupport;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The smoke tests every jcilium service passes alike, for a service's
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} test to extend: the probes,
 * {@code info} and Prometheus metrics. The subclass adds what differs between services:
 * the expected overall health (e.g. Redis down) and the gRPC expectation (health
 * {@code SERVING}, or no gRPC server at all).
 */
public abstract class ServiceSmokeTests {

	@LocalServerPort
	private int httpPort;

	/**
	 * The service's name, which is also its Maven artifactId.
	 * @return e.g. {@code relay-service}
	 */
	protected abstract String serviceName();

	@Test
	public void livenessAndReadinessProbesAreUp() throws Exception {
		smoke().livenessAndReadinessProbesAreUp();
	}

	@Test
	public void infoNamesTheServiceAndItsBuild() throws Exception {
		smoke().infoNamesTheServiceAndItsBuild(serviceName());
	}

	@Test
	public void prometheusServesMetricsAsText() throws Exception {
		smoke().prometheusServesMetricsAsText();
	}

	/**
	 * The checks against the running service, for the subclass's own tests.
	 * @return checks on the service's HTTP port
	 */
	protected final ServiceSmokeChecks smoke() {
		return new ServiceSmokeChecks(this.httpPort);
	}

}
