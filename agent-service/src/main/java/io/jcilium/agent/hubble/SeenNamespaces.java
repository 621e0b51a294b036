package io.jcilium.agent.hubble;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The namespaces of the flows this node saw in the last hour, for {@code GetNamespaces},
 * as upstream's namespace manager keeps them (same one-hour time to live). Fed on the
 * event reader's thread: a namespace already seen within the last second costs a map
 * read, no write.
 */
final class SeenNamespaces {

	static final Duration TTL = Duration.ofHours(1);

	private static final long REFRESH_MILLIS = 1000;

	private final Map<String, Long> lastSeenMillis = new ConcurrentHashMap<>();

	void seen(String namespace, long nowMillis) {
		if (namespace.isEmpty()) {
			return;
		}
		Long last = this.lastSeenMillis.get(namespace);
		if (last == null || nowMillis - last >= REFRESH_MILLIS) {
			this.lastSeenMillis.put(namespace, nowMillis);
		}
	}

	/**
	 * The namespaces seen within the time to live, forgetting older ones.
	 * @param nowMillis the time now
	 * @return the namespaces, sorted
	 */
	List<String> namespaces(long nowMillis) {
		long oldest = nowMillis - TTL.toMillis();
		this.lastSeenMillis.values().removeIf((seen) -> seen < oldest);
		return this.lastSeenMillis.keySet().stream().sorted().toList();
	}

}
