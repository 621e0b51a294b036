package io.jcilium.devapiserver.openapi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the protobuf back with a minimal decoder to check what kubectl will see. */
class SwaggerV2SchemasTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void typedObjectKeepsTypePropertiesAndRequired() throws Exception {
		Map<Integer, List<byte[]>> schema = decode(SwaggerV2Schemas.convert(JSON
			.readTree("{\"type\":\"object\",\"required\":[\"port\"],\"properties\":{\"port\":{\"type\":\"string\"},"
					+ "\"endPort\":{\"type\":\"integer\"}}}"))
			.toByteArray());
		assertThat(text(schema.get(19).get(0))).isEqualTo("port");
		assertThat(text(decode(schema.get(22).get(0)).get(1).get(0))).isEqualTo("object");
		List<byte[]> properties = decode(schema.get(25).get(0)).get(1);
		assertThat(properties).hasSize(2);
		Map<Integer, List<byte[]>> endPort = decode(properties.get(1));
		assertThat(text(endPort.get(1).get(0))).isEqualTo("endPort");
		assertThat(text(decode(decode(endPort.get(2).get(0)).get(22).get(0)).get(1).get(0))).isEqualTo("integer");
	}

	@Test
	void nodesSwaggerCannotExpressAcceptAnything() throws Exception {
		for (String node : List.of("{\"x-kubernetes-int-or-string\":true,\"anyOf\":[{\"type\":\"integer\"}]}",
				"{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true,\"properties\":{\"a\":{}}}",
				"{\"type\":\"string\",\"nullable\":true}", "{\"type\":\"array\"}")) {
			assertThat(SwaggerV2Schemas.convert(JSON.readTree(node)).toByteArray()).as(node).isEmpty();
		}
	}

	@Test
	void definitionCarriesItsGroupVersionKind() throws Exception {
		ObjectNode schema = (ObjectNode) JSON.readTree("{\"type\":\"object\"}");
		CrdSchemas.Entry entry = new CrdSchemas.Entry("cilium.io", "v2", "CiliumNetworkPolicy", "ciliumnetworkpolicies",
				true, schema);
		assertThat(entry.definitionName()).isEqualTo("io.cilium.v2.CiliumNetworkPolicy");
		Map<Integer, List<byte[]>> extension = decode(
				decode(SwaggerV2Schemas.definition(entry).toByteArray()).get(31).get(0));
		assertThat(text(extension.get(1).get(0))).isEqualTo("x-kubernetes-group-version-kind");
		assertThat(text(decode(extension.get(2).get(0)).get(2).get(0)))
			.isEqualTo("- group: cilium.io\n  kind: CiliumNetworkPolicy\n  version: v2\n");
	}

	/**
	 * Field number to the raw values of its length-delimited occurrences (varints as one
	 * byte).
	 */
	private static Map<Integer, List<byte[]>> decode(byte[] message) {
		Map<Integer, List<byte[]>> fields = new TreeMap<>();
		int[] position = { 0 };
		while (position[0] < message.length) {
			long tag = varint(message, position);
			int field = (int) (tag >>> 3);
			byte[] value;
			if ((tag & 7) == 2) {
				int length = (int) varint(message, position);
				value = java.util.Arrays.copyOfRange(message, position[0], position[0] + length);
				position[0] += length;
			}
			else {
				value = new byte[] { (byte) varint(message, position) };
			}
			fields.computeIfAbsent(field, (f) -> new ArrayList<>()).add(value);
		}
		return fields;
	}

	private static long varint(byte[] bytes, int[] position) {
		long value = 0;
		for (int shift = 0;; shift += 7) {
			byte b = bytes[position[0]++];
			value |= (long) (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				return value;
			}
		}
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
