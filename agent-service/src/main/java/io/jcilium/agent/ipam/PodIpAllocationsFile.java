package io.jcilium.agent.ipam;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.jcilium.agent.state.AtomicStateFile;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The persisted form of a node's pod IP allocations: one JSON object per line
 * ({@code {"ip":..,"containerId":..,"ifName":..}}), so no character a runtime puts in an
 * id can split or merge entries, and a damaged line costs only that entry. Written
 * through {@link AtomicStateFile}. Lines of the older {@code <ip> <container-id>} form
 * are still read (as interface {@value #LEGACY_IF_NAME}, the only one that form knew).
 */
public final class PodIpAllocationsFile {

	/** Older files named no interface: every pod had just {@code eth0}. */
	static final String LEGACY_IF_NAME = "eth0";

	private static final String HEADER = "# pod IP allocations, one JSON object per line: ip, containerId, ifName\n";

	// Trailing bytes after a line's object make the line unreadable (Jackson 3's default,
	// which wrote and read these files before).
	private static final JsonMapper mapper = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private PodIpAllocationsFile() {
	}

	public static void write(Path file, Collection<PodIpAllocation> allocations) throws IOException {
		StringBuilder text = new StringBuilder(HEADER);
		for (PodIpAllocation allocation : allocations) {
			ObjectNode line = mapper.createObjectNode();
			line.put("ip", PodCidr.format(allocation.ip()));
			line.put("containerId", allocation.owner().containerId());
			line.put("ifName", allocation.owner().ifName());
			text.append(mapper.writeValueAsString(line)).append('\n');
		}
		AtomicStateFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Reads the list; a missing file means no allocations (first start of the node). A
	 * line that cannot be read is reported in {@link Content#problems()} with its number
	 * and skipped: one bad entry must not keep the agent from starting.
	 */
	public static Content read(Path file) throws IOException {
		if (!Files.exists(file)) {
			return new Content(List.of(), List.of());
		}
		List<PodIpAllocation> allocations = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		String[] lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i].strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			try {
				allocations.add(line.startsWith("{") ? fromJson(line) : fromLegacy(line));
			}
			catch (IllegalArgumentException | JacksonException ex) {
				problems.add(file + ":" + (i + 1) + ": " + message(ex) + " in '" + printable(line) + "'");
			}
		}
		return new Content(allocations, problems);
	}

	private static PodIpAllocation fromJson(String line) throws JacksonException {
		JsonNode node = mapper.readTree(line);
		return new PodIpAllocation(PodCidr.parseAddress(text(node, "ip")),
				new PodIpOwner(text(node, "containerId"), text(node, "ifName")));
	}

	private static PodIpAllocation fromLegacy(String line) {
		String[] fields = line.split("\\s+");
		if (fields.length != 2) {
			throw new IllegalArgumentException("expected '<ip> <container-id>'");
		}
		return new PodIpAllocation(PodCidr.parseAddress(fields[0]), new PodIpOwner(fields[1], LEGACY_IF_NAME));
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isTextual()) {
			throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
		}
		return value.asText();
	}

	private static String message(Exception ex) {
		return (ex instanceof JacksonException json) ? "not JSON (" + json.getOriginalMessage() + ")" : ex.getMessage();
	}

	/** A damaged line may hold anything: keep control characters out of the log. */
	private static String printable(String line) {
		String shown = line.replaceAll("\\p{Cntrl}", "?");
		return (shown.length() > 200) ? shown.substring(0, 200) + "..." : shown;
	}

	/**
	 * What a read found.
	 *
	 * @param allocations the entries that could be read
	 * @param problems one message per line that could not, naming file and line
	 */
	public record Content(List<PodIpAllocation> allocations, List<String> problems) {

		public Content {
			allocations = List.copyOf(allocations);
			problems = List.copyOf(problems);
		}

	}

}
