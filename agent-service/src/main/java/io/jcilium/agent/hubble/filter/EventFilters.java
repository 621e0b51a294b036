package io.jcilium.agent.hubble.filter;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.jcilium.api.hubble.flow.DropReason;
import io.jcilium.api.hubble.flow.EventTypeFilter;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.Verdict;

/**
 * Filters on what happened to the flow: verdict, drop reason, event type, traffic
 * direction, reply, the node that saw it, and the flow's own uuid.
 */
final class EventFilters {

	private static final Pattern NODE_PATTERN = Pattern.compile("[A-Za-z0-9.*/_-]+");

	private EventFilters() {
	}

	static void add(String path, FlowFilter filter, List<Predicate<Flow>> parts) {
		if (filter.getVerdictCount() > 0) {
			Set<Verdict> verdicts = Set.copyOf(filter.getVerdictList());
			parts.add((flow) -> verdicts.contains(flow.getVerdict()));
		}
		if (filter.getDropReasonDescCount() > 0) {
			Set<DropReason> reasons = Set.copyOf(filter.getDropReasonDescList());
			parts.add((flow) -> flow.getVerdict() == Verdict.DROPPED && reasons.contains(flow.getDropReasonDesc()));
		}
		if (filter.getTrafficDirectionCount() > 0) {
			Set<TrafficDirection> directions = Set.copyOf(filter.getTrafficDirectionList());
			parts.add((flow) -> directions.contains(flow.getTrafficDirection()));
		}
		if (filter.getEventTypeCount() > 0) {
			List<EventTypeFilter> types = filter.getEventTypeList();
			parts.add((flow) -> types.stream()
				.anyMatch((type) -> type.getType() == flow.getEventType().getType()
						&& (!type.getMatchSubType() || type.getSubType() == flow.getEventType().getSubType())));
		}
		if (filter.getReplyCount() > 0) {
			Set<Boolean> replies = Set.copyOf(filter.getReplyList());
			// Unknown (no is_reply) matches neither true nor false, as upstream.
			parts.add((flow) -> flow.hasIsReply() && replies.contains(flow.getIsReply().getValue()));
		}
		if (filter.getUuidCount() > 0) {
			Set<String> uuids = Set.copyOf(filter.getUuidList());
			parts.add((flow) -> uuids.contains(flow.getUuid()));
		}
		if (filter.getNodeNameCount() > 0) {
			List<Pattern> nodes = filter.getNodeNameList().stream().map((text) -> nodePattern(path, text)).toList();
			parts.add((flow) -> nodes.stream().anyMatch((node) -> node.matcher(flow.getNodeName()).matches()));
		}
	}

	/**
	 * Upstream's node name patterns: {@code *} matches within one name, a pattern without
	 * a cluster matches the name in any cluster ({@code cluster/node} names).
	 */
	private static Pattern nodePattern(String path, String text) {
		if (text.isEmpty() || !NODE_PATTERN.matcher(text).matches()) {
			throw new InvalidFilterException(path + ".node_name",
					"'" + text + "' is not a node name pattern (letters, digits, '.', '-', '_', '*', 'cluster/')");
		}
		String regex = Pattern.quote(text).replace("*", "\\E[^/]*\\Q");
		if (text.endsWith("/")) {
			regex = regex + "[^/]*";
		}
		return Pattern.compile(text.contains("/") ? regex : "([^/]*/)?" + regex);
	}

}
