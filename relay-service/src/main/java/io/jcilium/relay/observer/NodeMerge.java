package io.jcilium.relay.observer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The time-ordered merge of one request's node streams: a buffer per node and a k-way
 * merge over their heads. Each agent sends in time order, so the oldest head is the next
 * response of the whole cluster as long as every node that is still sending has a head:
 * while an open node's buffer is empty the merge waits for it. It waits at most the drain
 * timeout after the node's last response: a node that said nothing for that long is idle
 * (a {@code follow} on a quiet node) and stops holding the others back until it sends
 * again; only what such a node sends late can come out of order. How much each node may
 * send ahead is bounded by the caller's flow control (see {@link NodeStream}), told
 * through {@code taken} each time one of a node's responses leaves the merge. Plain Java,
 * single-threaded: the request's merging thread owns it.
 */
final class NodeMerge {

	private final long idleNanos;

	private final Consumer<String> taken;

	private final Map<String, Node> nodes = new HashMap<>();

	private final PriorityQueue<Node> heads = new PriorityQueue<>(
			Comparator.comparingLong((Node node) -> node.buffer.peekFirst().nanos()));

	private final Set<Node> emptyOpen = new LinkedHashSet<>();

	/**
	 * @param drainTimeout how long a silent node holds the others back
	 * @param taken told the node of each response that leaves the merge
	 */
	NodeMerge(Duration drainTimeout, Consumer<String> taken) {
		this(drainTimeout.toNanos(), taken);
	}

	private NodeMerge(long idleNanos, Consumer<String> taken) {
		this.idleNanos = idleNanos;
		this.taken = taken;
	}

	/**
	 * A merge where no node is ever idle: for a request without {@code follow}, where
	 * every node ends its stream, so waiting for each is exact and never endless.
	 */
	static NodeMerge exact(Consumer<String> taken) {
		return new NodeMerge(Long.MAX_VALUE, taken);
	}

	/** A node starts (or starts again) sending: the merge waits for its responses. */
	void open(String name, long nowNanos) {
		Node node = this.nodes.computeIfAbsent(name, Node::new);
		node.open = true;
		node.lastNanos = nowNanos;
		if (node.buffer.isEmpty()) {
			this.emptyOpen.add(node);
		}
	}

	/**
	 * A node sent all it will send for now (ended or failed): nothing more to wait for.
	 */
	void close(String name) {
		Node node = this.nodes.get(name);
		if (node != null) {
			node.open = false;
			this.emptyOpen.remove(node);
		}
	}

	/** A response of an open node, in the node's own time order. */
	void add(String name, WireResponse response, long nowNanos) {
		Node node = this.nodes.computeIfAbsent(name, Node::new);
		node.lastNanos = nowNanos;
		if (node.buffer.isEmpty()) {
			this.emptyOpen.remove(node);
			node.buffer.addLast(response);
			this.heads.add(node);
		}
		else {
			node.buffer.addLast(response);
		}
	}

	/**
	 * @return the cluster's next response, or {@code null} when there is none or an open
	 * node may still send an older one
	 */
	WireResponse next(long nowNanos) {
		if (this.heads.isEmpty() || waitNanos(nowNanos) > 0) {
			return null;
		}
		return take();
	}

	/**
	 * @return how long until no open node with an empty buffer holds the merge back any
	 * more (it sends, or turns idle), or 0 when none does
	 */
	long waitNanos(long nowNanos) {
		long wait = 0;
		for (Node node : this.emptyOpen) {
			long left = (this.idleNanos == Long.MAX_VALUE) ? Long.MAX_VALUE
					: node.lastNanos + this.idleNanos - nowNanos;
			if (left > 0) {
				wait = (wait == 0) ? left : Math.min(wait, left);
			}
		}
		return wait;
	}

	/** Everything still buffered, in time order, whoever may still send. */
	List<WireResponse> drain() {
		List<WireResponse> drained = new ArrayList<>();
		while (!this.heads.isEmpty()) {
			drained.add(take());
		}
		return drained;
	}

	int size() {
		return this.nodes.values().stream().mapToInt((node) -> node.buffer.size()).sum();
	}

	private WireResponse take() {
		Node node = this.heads.poll();
		WireResponse response = node.buffer.pollFirst();
		if (!node.buffer.isEmpty()) {
			this.heads.add(node);
		}
		else if (node.open) {
			this.emptyOpen.add(node);
		}
		this.taken.accept(node.name);
		return response;
	}

	private static final class Node {

		private final String name;

		private final ArrayDeque<WireResponse> buffer = new ArrayDeque<>();

		private boolean open;

		private long lastNanos;

		Node(String name) {
			this.name = name;
		}

	}

}
