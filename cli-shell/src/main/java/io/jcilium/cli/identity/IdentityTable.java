package io.jcilium.cli.identity;

import java.util.List;

import io.jcilium.api.identity.v1.Identity;
import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Identities as upstream's {@code cilium-dbg identity list} prints them: ID and LABELS,
 * one label per line (the ID on the first), and the same as data for
 * {@code -o json|yaml}.
 */
final class IdentityTable {

	private IdentityTable() {
	}

	static String render(List<Identity> identities) {
		TextTable table = new TextTable("ID", "LABELS");
		for (Identity identity : identities) {
			String id = Integer.toUnsignedString(identity.getId());
			if (identity.getLabelsCount() == 0) {
				table.row(id, "");
			}
			for (int i = 0; i < identity.getLabelsCount(); i++) {
				table.row((i == 0) ? id : "", identity.getLabels(i));
			}
		}
		return table.render();
	}

	/** {@code [{"id": 1, "labels": ["reserved:host"], "reserved": true}, ...]} */
	static JsonNode data(List<Identity> identities) {
		ArrayNode list = JsonMapper.shared().createArrayNode();
		identities.forEach((identity) -> list.add(data(identity)));
		return list;
	}

	static ObjectNode data(Identity identity) {
		ObjectNode node = JsonMapper.shared().createObjectNode();
		node.put("id", Integer.toUnsignedLong(identity.getId()));
		ArrayNode labels = node.putArray("labels");
		identity.getLabelsList().forEach(labels::add);
		node.put("reserved", identity.getReserved());
		return node;
	}

}
