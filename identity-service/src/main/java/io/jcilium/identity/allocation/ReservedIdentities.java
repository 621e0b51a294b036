package io.jcilium.identity.allocation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The reserved identities with upstream Cilium's numbers. They are answered from this
 * table and never allocated, released or collected.
 */
public final class ReservedIdentities {

	/** The highest reserved identity number. */
	public static final int MAX_RESERVED = 10;

	private static final List<Identity> ALL = List.of(reserved(1, "host"), reserved(2, "world"),
			reserved(3, "unmanaged"), reserved(4, "health"), reserved(5, "init"), reserved(6, "remote-node"),
			reserved(7, "kube-apiserver"), reserved(8, "ingress"), reserved(9, "world-ipv4"),
			reserved(10, "world-ipv6"));

	private static final Map<String, Identity> BY_LABELS_KEY = ALL.stream()
		.collect(Collectors.toUnmodifiableMap((identity) -> LabelsKey.of(identity.labels()), Function.identity()));

	private ReservedIdentities() {
	}

	public static List<Identity> all() {
		return ALL;
	}

	public static boolean isReserved(long id) {
		return id >= 1 && id <= MAX_RESERVED;
	}

	public static Optional<Identity> byId(long id) {
		return isReserved(id) ? Optional.of(ALL.get((int) id - 1)) : Optional.empty();
	}

	static Optional<Identity> byLabelsKey(String labelsKey) {
		return Optional.ofNullable(BY_LABELS_KEY.get(labelsKey));
	}

	private static Identity reserved(int id, String name) {
		return new Identity(id, List.of("reserved:" + name), true);
	}

}
