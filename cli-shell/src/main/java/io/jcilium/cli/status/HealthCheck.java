package io.jcilium.cli.status;

/**
 * The outcome of one health check: one row of the {@code status} table.
 *
 * @param service the service's short name
 * @param address what was asked: an HTTP URL or a {@code grpc://host:port}
 * @param status the service's own word ({@code UP}, {@code DOWN}, {@code SERVING}, ...)
 * or {@link #UNREACHABLE} / {@link #ERROR} when it gave none
 * @param details why it is not healthy (or degraded), empty when it is
 * @param healthy whether this check passed
 */
record HealthCheck(String service, String address, String status, String details, boolean healthy) {

	/** Nothing answered: refused, timed out, unknown host. */
	static final String UNREACHABLE = "UNREACHABLE";

	/** Something answered, but not with a health report. */
	static final String ERROR = "ERROR";

	static HealthCheck healthy(String service, String address, String status) {
		return new HealthCheck(service, address, status, "", true);
	}

	/** Passes, but says what is not well. */
	static HealthCheck degraded(String service, String address, String status, String details) {
		return new HealthCheck(service, address, status, details, true);
	}

	static HealthCheck unhealthy(String service, String address, String status, String details) {
		return new HealthCheck(service, address, status, details, false);
	}

}
