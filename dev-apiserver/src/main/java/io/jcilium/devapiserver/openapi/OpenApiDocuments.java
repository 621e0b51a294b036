package io.jcilium.devapiserver.openapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI documents of the custom resources in the store, computed per request.
 * <ul>
 * <li>{@code /openapi/v2} in gnostic protobuf: kubectl's client-side validation reads it
 * ({@code kubectl apply} with the default {@code --validate=strict}). Built-in kinds are
 * not described, so kubectl skips validating them.</li>
 * <li>{@code /openapi/v3} and {@code /openapi/v3/apis/<group>/<version>}: {@code kubectl
 * explain} reads these, and kubectl asks them whether the server validates fields itself.
 * The PATCH operations declare no {@code fieldValidation} (nor {@code dryRun}) parameter,
 * so kubectl validates on the client, as against a server that cannot.</li>
 * </ul>
 */
public final class OpenApiDocuments {

	private static final ObjectMapper JSON = new ObjectMapper();

	// openapi.v2.Document: swagger = 1, info = 2 (title = 1, version = 2), definitions =
	// 9
	private static final int DOCUMENT_SWAGGER = 1;

	private static final int DOCUMENT_INFO = 2;

	private static final int DOCUMENT_DEFINITIONS = 9;

	private final List<CrdSchemas.Entry> entries;

	private OpenApiDocuments(List<CrdSchemas.Entry> entries) {
		this.entries = entries;
	}

	/**
	 * Documents for these CRDs.
	 * @param crds CRD objects as JSON
	 * @return the documents
	 */
	public static OpenApiDocuments of(List<JsonNode> crds) {
		return new OpenApiDocuments(CrdSchemas.of(crds));
	}

	/**
	 * {@code /openapi/v2} as
	 * {@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}.
	 */
	public byte[] v2Protobuf() {
		ProtoWriter definitions = new ProtoWriter();
		for (CrdSchemas.Entry entry : this.entries) {
			definitions.message(1,
					new ProtoWriter().string(1, entry.definitionName()).message(2, SwaggerV2Schemas.definition(entry)));
		}
		return new ProtoWriter().string(DOCUMENT_SWAGGER, "2.0")
			.message(DOCUMENT_INFO, new ProtoWriter().string(1, "Kubernetes").string(2, "v1.32.0"))
			.message(DOCUMENT_DEFINITIONS, definitions)
			.toByteArray();
	}

	/**
	 * {@code /openapi/v3}: one entry per group/version, its URL carrying a content hash.
	 */
	public ObjectNode v3Root() {
		ObjectNode root = JSON.createObjectNode();
		ObjectNode paths = root.putObject("paths");
		groupVersions().forEach((path, doc) -> paths.putObject(path)
			.put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash(doc)));
		return root;
	}

	/**
	 * {@code /openapi/v3/apis/<group>/<version>}.
	 * @param path e.g. {@code apis/cilium.io/v2}
	 * @return the document, or null when no CRD serves that group/version
	 */
	public ObjectNode v3GroupVersion(String path) {
		return groupVersions().get(path);
	}

	private Map<String, ObjectNode> groupVersions() {
		Map<String, ObjectNode> docs = new LinkedHashMap<>();
		for (CrdSchemas.Entry entry : this.entries) {
			ObjectNode doc = docs.computeIfAbsent(entry.groupVersionPath(), (p) -> {
				ObjectNode created = JSON.createObjectNode().put("openapi", "3.0.0");
				created.putObject("info").put("title", "Kubernetes CRD Swagger").put("version", "v0.1.0");
				created.putObject("paths");
				created.putObject("components").putObject("schemas");
				return created;
			});
			ObjectNode gvk = JSON.createObjectNode()
				.put("group", entry.group())
				.put("version", entry.version())
				.put("kind", entry.kind());
			ObjectNode schema = entry.schema().deepCopy();
			schema.putArray("x-kubernetes-group-version-kind").add(gvk);
			((ObjectNode) doc.get("components").get("schemas")).set(entry.definitionName(), schema);
			ObjectNode operations = ((ObjectNode) doc.get("paths")).putObject(entry.objectPath());
			for (String verb : List.of("get", "put", "patch", "delete")) {
				ObjectNode operation = operations.putObject(verb);
				operation.put("operationId", verb + entry.kind());
				operation.set("x-kubernetes-group-version-kind", gvk);
				operation.putArray("parameters");
				operation.putObject("responses").putObject("200").put("description", "OK");
			}
		}
		return docs;
	}

	private static String hash(JsonNode doc) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-512")
				.digest(doc.toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().withUpperCase().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-512 is part of every JDK", ex);
		}
	}

}
