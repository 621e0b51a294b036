package io.jcilium.agent.hubble.filter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.common.label.Labels;

/**
 * Endpoint labels parsed once per distinct label list rather than once per flow: a stream
 * sees the same few identities over and over, and parsing cost more than matching. One
 * per compiled filter, so one stream's thread uses it; bounded, it starts over when full.
 */
final class ParsedLabels {

	private static final int MAX_ENTRIES = 1024;

	private final Map<List<String>, Labels> parsed = new HashMap<>();

	Labels of(List<String> labels) {
		Labels known = this.parsed.get(labels);
		if (known != null) {
			return known;
		}
		if (this.parsed.size() >= MAX_ENTRIES) {
			this.parsed.clear();
		}
		Labels fresh = Labels.parse(labels);
		this.parsed.put(List.copyOf(labels), fresh);
		return fresh;
	}

}
