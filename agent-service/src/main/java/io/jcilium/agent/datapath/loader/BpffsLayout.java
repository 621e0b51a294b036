package io.jcilium.agent.datapath.loader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.jcilium.agent.datapath.libbpf.BpfObject;

/**
 * Where the datapath's maps live on bpffs: {@code <root>/<prefix>/<map>} for the node's
 * shared maps and {@code <root>/<prefix>/policy_<endpoint id>} for each endpoint's policy
 * trie (also held by the shared {@code policy} map-of-maps). Pinned maps outlive the
 * agent, which is what lets a restarted agent carry on with the same state.
 *
 * @param root the bpffs mount, normally /sys/fs/bpf
 * @param prefix the agent's directory under it
 */
public record BpffsLayout(Path root, String prefix) {

	/** The maps the node's bpf_lxc programs share. */
	public static final List<String> SHARED_MAPS = List.of("ipcache", "endpoints", "endpoint_config", "ct",
			"ct_created", "ct_released", "metrics", "events", "events_lost", "policy_calls", "policy", "lxc_ifindex",
			"policy_revision");

	private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

	/** The default bpffs mount. */
	public static final Path DEFAULT_ROOT = Path.of("/sys/fs/bpf");

	public BpffsLayout {
		if (prefix == null || !PREFIX.matcher(prefix).matches() || prefix.contains("..")) {
			throw new IllegalArgumentException(
					"bpffs prefix '" + prefix + "' must be a relative path of [A-Za-z0-9_.-]");
		}
	}

	public Path directory() {
		return this.root.resolve(this.prefix);
	}

	/**
	 * Pin path of a shared map.
	 * @param name e.g. "ipcache"
	 * @return the path
	 */
	public Path sharedMap(String name) {
		return directory().resolve(name);
	}

	/**
	 * Pin path of an endpoint's policy map.
	 * @param endpointId the endpoint id
	 * @return the path
	 */
	public Path policyMap(int endpointId) {
		return directory().resolve("policy_" + endpointId);
	}

	/**
	 * Creates the directory (bpffs allows mkdir).
	 */
	public void create() {
		try {
			Files.createDirectories(directory());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create " + directory() + " (is bpffs mounted at " + this.root + "?)",
					ex);
		}
	}

	/**
	 * Points the object's shared maps at their pin paths: libbpf reuses a map already
	 * pinned there and pins a new one otherwise, when the object is loaded.
	 * @param object the bpf_lxc object, not yet loaded
	 */
	public void pinSharedMaps(BpfObject object) {
		for (String map : SHARED_MAPS) {
			object.pinMap(map, sharedMap(map));
		}
	}

	/**
	 * Unpins everything under the prefix; maps still used by attached programs live on
	 * until those are detached.
	 */
	public void removeAll() {
		Path dir = directory();
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot remove pins under " + dir, ex);
		}
	}

}
