package io.jcilium.agent.endpoint;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An endpoint state file the agent could not restore from, moved aside for inspection
 * rather than deleted or ignored. The pod it described may still run: its address and
 * veth are held ({@link HeldOrphan}) until CNI DEL of the pod, or until the API server
 * shows no pod of this node with the address; its endpoint id stays reserved until then
 * ({@link QuarantinedIds}).
 *
 * @param file where the file was moved
 * @param reason why it could not be restored
 */
public record QuarantinedStateFile(Path file, String reason) {

	/** {@code <id>.json-<millis>}: the name the agent wrote, and when it was moved. */
	private static final Pattern NAME = Pattern.compile("(\\d{1,9})\\.json-\\d+");

	/**
	 * The endpoint id of the file, from the name the agent gave it (its content may be
	 * what is broken).
	 * @return the id, empty for a file the agent did not name
	 */
	public OptionalInt endpointId() {
		Matcher name = NAME.matcher(this.file.getFileName().toString());
		return name.matches() ? OptionalInt.of(Integer.parseInt(name.group(1))) : OptionalInt.empty();
	}

}
