package io.jcilium.relay.observer;

import java.util.List;

/**
 * {@code number} over the whole cluster: each agent returns its own first or last
 * {@code number} flows, the relay keeps the first or last {@code number} of them all
 * (lost-events responses among them stay where they fall).
 */
final class NumberLimit {

	private NumberLimit() {
	}

	/**
	 * @param sorted every node's responses, in time order
	 * @param number how many flows to keep, at least 1
	 * @param first keep the earliest rather than the latest
	 * @return the kept responses, in time order
	 */
	static List<WireResponse> select(List<WireResponse> sorted, long number, boolean first) {
		long flows = 0;
		if (first) {
			int end = 0;
			while (end < sorted.size() && flows < number) {
				if (sorted.get(end++).flow()) {
					flows++;
				}
			}
			return sorted.subList(0, end);
		}
		int start = sorted.size();
		while (start > 0 && flows < number) {
			if (sorted.get(--start).flow()) {
				flows++;
			}
		}
		return sorted.subList(start, sorted.size());
	}

}
