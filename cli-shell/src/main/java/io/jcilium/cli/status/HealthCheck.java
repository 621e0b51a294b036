package io.jcilium.cli.status;

import java.util.List;

/**
 * The outcome of one health check: one row of the {@code status} table.
 *
 * @param service the service's short name
 * @param address what was asked: an HTTP URL or a {@code grpc://host:port}
 * @param status the service's own word ({@code UP}, {@code DOWN}, {@code SERVING}, ...)
 * or {@link #UNREACHABLE} / {@link #ERROR} when it gave none
 * @param details why it is not healthy (or degraded), empty when it is
 * @param healthy whether this check passed
 * @param components the service's health components as {@code status --verbose} rows
 * (component, status, details); empty for a gRPC check or a report without components
 */
record HealthCheck(String service, String address, String status, String details, boolean healthy,
		List<List<String>> components) {

	HealthCheck {
		components = List.copyOf(components);
	}

	HealthCheck(String service, String address, String status, String details, boolean healthy) {
		this(service, address, status, details, healthy, List.of());
	}

	/** The same check, with the health components it found. */
	HealthCheck withComponents(List<List<String>> rows) {
		return new HealthCheck(this.service, this.address, this.status, this.details, this.healthy, rows);
	}

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
