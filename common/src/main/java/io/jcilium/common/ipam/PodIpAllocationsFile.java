package io.jcilium.common.ipam;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The persisted form of a node's pod IP allocations: one {@code <ip> <container-id>} per
 * line. Written to a temporary file, synced and renamed over the old one, so a crash
 * mid-write leaves either the old or the new list, never half of one.
 */
public final class PodIpAllocationsFile {

	private PodIpAllocationsFile() {
	}

	public static void write(Path file, Collection<PodIpAllocation> allocations) throws IOException {
		StringBuilder text = new StringBuilder("# pod IP allocations: <ip> <container-id>\n");
		for (PodIpAllocation allocation : allocations) {
			text.append(allocation).append('\n');
		}
		Path directory = file.toAbsolutePath().getParent();
		Files.createDirectories(directory);
		Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
		try {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
				channel.write(StandardCharsets.UTF_8.encode(text.toString()));
				channel.force(true);
			}
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * Reads the list; a missing file means no allocations (first start of the node).
	 * @throws IllegalArgumentException naming the line if an entry is malformed
	 */
	public static List<PodIpAllocation> read(Path file) throws IOException {
		if (!Files.exists(file)) {
			return List.of();
		}
		List<PodIpAllocation> result = new ArrayList<>();
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			String[] fields = line.split("\\s+");
			if (fields.length != 2) {
				throw new IllegalArgumentException(
						file + ":" + (i + 1) + ": expected '<ip> <container-id>' but found '" + line + "'");
			}
			byte[] address = IpBlock.parseAddress(fields[0], file + ":" + (i + 1) + ": " + fields[0]);
			result.add(new PodIpAllocation(InetAddress.getByAddress(address), fields[1]));
		}
		return result;
	}

}
