package io.jcilium.relay.testagents;

import java.util.List;

import io.grpc.Status;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.observer.GetFlowsRequest;

/**
 * The part of the agent's filtering the test agents apply, with the agent's semantics:
 * {@code since}/{@code until} on the flow's time, whitelist (any filter matches) then
 * blacklist (no filter matches), a filter matching when each field it sets matches:
 * {@code source_pod} (prefix of namespace/pod) and {@code verdict}. Any other field set
 * in a filter is refused, so a test cannot believe it filtered on something ignored. A
 * {@code destination_ip} that is no address or CIDR is refused as the agent refuses it:
 * {@code INVALID_ARGUMENT} naming the field.
 */
final class TestFilters {

	private TestFilters() {
	}

	/**
	 * @param request a request
	 * @return the agent's refusal of the request, null if it takes it
	 */
	static Status refusal(GetFlowsRequest request) {
		for (String list : List.of("whitelist", "blacklist")) {
			List<FlowFilter> filters = list.equals("whitelist") ? request.getWhitelistList()
					: request.getBlacklistList();
			for (int i = 0; i < filters.size(); i++) {
				for (String ip : filters.get(i).getDestinationIpList()) {
					if (!ip.matches("[0-9.]+(/([0-9]|[12][0-9]|3[0-2]))?")) {
						return Status.INVALID_ARGUMENT.withDescription(
								list + "[" + i + "].destination_ip: '" + ip + "' is no IP address or CIDR");
					}
				}
			}
		}
		return null;
	}

	static boolean selects(GetFlowsRequest request, Flow flow) {
		long nanos = nanos(flow.getTime());
		if (request.hasSince() && nanos < nanos(request.getSince())) {
			return false;
		}
		if (request.hasUntil() && nanos > nanos(request.getUntil())) {
			return false;
		}
		List<FlowFilter> whitelist = request.getWhitelistList();
		if (!whitelist.isEmpty() && whitelist.stream().noneMatch((filter) -> matches(filter, flow))) {
			return false;
		}
		return request.getBlacklistList().stream().noneMatch((filter) -> matches(filter, flow));
	}

	private static boolean matches(FlowFilter filter, Flow flow) {
		FlowFilter supported = FlowFilter.newBuilder()
			.addAllSourcePod(filter.getSourcePodList())
			.addAllVerdict(filter.getVerdictList())
			.build();
		if (!supported.equals(filter)) {
			throw new IllegalArgumentException("the test agents filter on source_pod and verdict only: " + filter);
		}
		String pod = flow.getSource().getNamespace() + "/" + flow.getSource().getPodName();
		boolean podMatches = filter.getSourcePodList().isEmpty()
				|| filter.getSourcePodList().stream().anyMatch(pod::startsWith);
		boolean verdictMatches = filter.getVerdictList().isEmpty()
				|| filter.getVerdictList().contains(flow.getVerdict());
		return podMatches && verdictMatches;
	}

	private static long nanos(com.google.protobuf.Timestamp time) {
		return time.getSeconds() * 1_000_000_000L + time.getNanos();
	}

}
