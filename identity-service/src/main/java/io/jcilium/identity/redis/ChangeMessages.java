package io.jcilium.identity.redis;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.identity.allocation.IdentityStore.IdentityChange;
import io.jcilium.identity.allocation.IdentityStore.StoredIdentity;

/**
 * The change messages the Lua scripts publish: {@code U|D revision id labelsKey}, space
 * separated (labels never contain spaces), or a batch: {@code B} followed by such lines,
 * newline separated (labels never contain newlines either: the canonicaliser takes only
 * label characters), which the allocate script sends once for all identities one run
 * creates.
 */
final class ChangeMessages {

	private static final String BATCH = "B\n";

	private ChangeMessages() {
	}

	/**
	 * Returns the changes of a message in publish order; changes this version does not
	 * know are left out.
	 */
	static List<IdentityChange> decodeAll(String message) {
		if (!message.startsWith(BATCH)) {
			IdentityChange change = decode(message);
			return (change != null) ? List.of(change) : List.of();
		}
		List<IdentityChange> changes = new ArrayList<>();
		int from = BATCH.length();
		while (from < message.length()) {
			int end = message.indexOf('\n', from);
			end = (end < 0) ? message.length() : end;
			IdentityChange change = decode(message.substring(from, end));
			if (change != null) {
				changes.add(change);
			}
			from = end + 1;
		}
		return changes;
	}

	/** Returns the change, or {@code null} for a message this version does not know. */
	static IdentityChange decode(String message) {
		String[] parts = message.split(" ", 4);
		if (parts.length != 4) {
			return null;
		}
		IdentityChange.Kind kind = switch (parts[0]) {
			case "U" -> IdentityChange.Kind.UPSERT;
			case "D" -> IdentityChange.Kind.DELETE;
			default -> null;
		};
		if (kind == null) {
			return null;
		}
		try {
			return new IdentityChange(kind,
					new StoredIdentity(Integer.parseInt(parts[2]), parts[3], Long.parseLong(parts[1])));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
