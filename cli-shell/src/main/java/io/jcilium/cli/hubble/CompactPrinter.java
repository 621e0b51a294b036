package io.jcilium.cli.hubble;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.flow.Flow;

/**
 * Upstream's compact flow line ({@code hubble observe -o compact}, the default):
 * {@code Dec  5 07:23:41.123: shop/frontend:43210 (ID:12345) -> shop/backend:8080 (ID:23456) to-endpoint FORWARDED (TCP Flags: SYN)}.
 * Replies flip the sides and print {@code <-}; a flow not known to be a request or a
 * reply (a drop) prints {@code <>}. Times in UTC, as upstream's CLI prints them.
 */
final class CompactPrinter {

	/** Go's {@code time.StampMilli}: {@code Jan _2 15:04:05.000}. */
	static final DateTimeFormatter STAMP_MILLI = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss.SSS", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	private CompactPrinter() {
	}

	static String line(Flow flow) {
		String source = FlowColumns.host(flow, true);
		String destination = FlowColumns.host(flow, false);
		String sourceIdentity = FlowColumns.identity(flow.getSource().getIdentity());
		String destinationIdentity = FlowColumns.identity(flow.getDestination().getIdentity());
		String arrow = "->";
		if (!flow.hasIsReply()) {
			arrow = "<>";
		}
		else if (flow.getIsReply().getValue()) {
			String host = source;
			source = destination;
			destination = host;
			String identity = sourceIdentity;
			sourceIdentity = destinationIdentity;
			destinationIdentity = identity;
			arrow = "<-";
		}
		return time(flow.hasTime() ? flow.getTime() : null) + ": " + source + " " + sourceIdentity + " " + arrow + " "
				+ destination + " " + destinationIdentity + " " + FlowColumns.type(flow) + " "
				+ FlowColumns.verdict(flow) + " (" + FlowColumns.summary(flow) + ")";
	}

	static String time(Timestamp time) {
		if (time == null) {
			return "N/A";
		}
		return STAMP_MILLI.format(Instant.ofEpochSecond(time.getSeconds(), time.getNanos()));
	}

}
