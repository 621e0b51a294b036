package io.jcilium.relay.observer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.observer.GetFlowsResponse;

/**
 * Upstream relay's sort buffer: responses from every node wait in a priority queue by
 * time, at most {@code capacity} of them; pushing into a full buffer lets the oldest out,
 * and the caller drains the whole buffer when no response came for the drain timeout (or
 * at the end). Each agent sends in time order, so the output is in time order as long as
 * no node lags the others by more than the buffer holds.
 */
final class SortBuffer {

	static final Comparator<GetFlowsResponse> BY_TIME = Comparator.comparingLong(SortBuffer::nanos);

	private final int capacity;

	private final PriorityQueue<GetFlowsResponse> queue = new PriorityQueue<>(BY_TIME);

	SortBuffer(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("the sort buffer must hold at least one response, not " + capacity);
		}
		this.capacity = capacity;
	}

	/**
	 * Adds a response.
	 * @param response a flow or lost-events response
	 * @return the oldest response when the buffer was full, else {@code null}
	 */
	GetFlowsResponse push(GetFlowsResponse response) {
		this.queue.add(response);
		return (this.queue.size() > this.capacity) ? this.queue.poll() : null;
	}

	/** Empties the buffer, oldest first. */
	List<GetFlowsResponse> drain() {
		List<GetFlowsResponse> drained = new ArrayList<>(this.queue.size());
		while (!this.queue.isEmpty()) {
			drained.add(this.queue.poll());
		}
		return drained;
	}

	int size() {
		return this.queue.size();
	}

	/** The response's time: its own, else its flow's. */
	static long nanos(GetFlowsResponse response) {
		Timestamp time = response.hasTime() ? response.getTime() : response.getFlow().getTime();
		return time.getSeconds() * 1_000_000_000L + time.getNanos();
	}

}
