package io.jcilium.cli.hubble;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.observer.GetFlowsRequest;

/**
 * The {@code GetFlows} request {@code hubble observe} sends: the filters, and which flows
 * as upstream's CLI asks for them: the last 20 by default, {@code --last N},
 * {@code --since} (a duration back from now or an RFC 3339 time), {@code --follow} (only
 * new flows unless {@code --last} or {@code --since} ask for history too).
 */
final class ObserveRequest {

	/** Upstream's default for {@code --last} when nothing else says which flows. */
	static final long DEFAULT_LAST = 20;

	private ObserveRequest() {
	}

	/**
	 * @param last {@code --last}, 0 when not given
	 * @param since {@code --since}, null or empty when not given
	 * @throws IllegalArgumentException naming the flag that cannot be used
	 */
	static GetFlowsRequest build(ObserveFilters filters, long last, String since, boolean follow, Clock clock) {
		if (last < 0) {
			throw new IllegalArgumentException("--last must be a positive number of flows, got " + last);
		}
		boolean hasSince = since != null && !since.isBlank();
		if (hasSince && last > 0) {
			throw new IllegalArgumentException("--last and --since cannot be combined");
		}
		GetFlowsRequest.Builder request = GetFlowsRequest.newBuilder().setFollow(follow);
		filters.addTo(request);
		if (hasSince) {
			Instant from = since(since.strip(), clock);
			request.setSince(Timestamp.newBuilder().setSeconds(from.getEpochSecond()).setNanos(from.getNano()));
		}
		else if (last > 0) {
			request.setNumber(last);
		}
		else if (!follow) {
			request.setNumber(DEFAULT_LAST);
		}
		return request.build();
	}

	/**
	 * @param text {@code --last} as given, null when not given
	 * @return the number, 0 when not given
	 */
	static long last(String text) {
		if (text == null || text.isBlank()) {
			return 0;
		}
		try {
			long last = Long.parseLong(text.strip());
			if (last > 0) {
				return last;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("--last '" + text + "' is not a positive number of flows");
	}

	private static Instant since(String text, Clock clock) {
		if (Character.isDigit(text.charAt(0)) && !text.contains("T") && !text.contains("-")) {
			return clock.instant().minus(GoDurations.parse(text));
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"--since '" + text + "' is neither a duration back from now (30s, 5m, 1h30m) nor an RFC 3339 time "
							+ "(2026-12-05T07:23:41Z)");
		}
	}

}
