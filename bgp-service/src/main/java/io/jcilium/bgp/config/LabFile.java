package io.jcilium.bgp.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The resources of a lab file: upstream's BGP kinds (cilium.io/v2 CiliumBGPClusterConfig,
 * CiliumBGPPeerConfig, CiliumBGPAdvertisement, CiliumBGPNodeConfigOverride) and the
 * CiliumNode whose pod CIDRs are advertised, as YAML documents in one file, so the
 * speaker runs without an API server.
 */
public final class LabFile {

	private final List<Resource> resources;

	/** One resource of the file. */
	record Resource(String kind, String name, java.util.Map<String, String> labels, YamlNode spec) {
	}

	private LabFile(List<Resource> resources) {
		this.resources = List.copyOf(resources);
	}

	/**
	 * Reads a lab file.
	 * @throws LabFileException naming the file and what is wrong
	 */
	public static LabFile read(Path file) {
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			return parse(reader, file.toString());
		}
		catch (IOException ex) {
			throw new LabFileException("cannot read lab file " + file + ": " + ex.getMessage());
		}
	}

	static LabFile parse(Reader reader, String source) {
		List<Resource> resources = new ArrayList<>();
		try {
			int index = 0;
			for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
				if (document != null) {
					YamlNode root = new YamlNode(document, source + " document " + index);
					YamlNode metadata = root.get("metadata");
					resources.add(new Resource(root.get("kind").text(), metadata.get("name").text(),
							metadata.get("labels").strings(), root.get("spec")));
				}
				index++;
			}
		}
		catch (YAMLException ex) {
			throw new LabFileException(source + " is not valid YAML: " + ex.getMessage());
		}
		return new LabFile(resources);
	}

	List<Resource> ofKind(String kind) {
		return this.resources.stream().filter((r) -> r.kind().equals(kind)).toList();
	}

	Resource named(String kind, String name) {
		return ofKind(kind).stream().filter((r) -> r.name().equals(name)).findFirst().orElse(null);
	}

}
