package io.jcilium.identity.redis;

import io.jcilium.identity.allocation.IdentityStore.IdentityChange;
import io.jcilium.identity.allocation.IdentityStore.StoredIdentity;

/**
 * The change messages the Lua scripts publish: {@code U|D revision id labelsKey}, space
 * separated (labels never contain spaces).
 */
final class ChangeMessages {

	private ChangeMessages() {
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
