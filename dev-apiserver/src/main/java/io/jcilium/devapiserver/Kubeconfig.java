package io.jcilium.devapiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A kubeconfig with one cluster, one context (namespace {@code default}) and no
 * credentials.
 */
final class Kubeconfig {

	static final String NAME = "jcilium-dev";

	private Kubeconfig() {
	}

	static void write(Path file, URI server) {
		String config = """
				apiVersion: v1
				kind: Config
				clusters:
				- name: %1$s
				  cluster:
				    server: %2$s
				users:
				- name: %1$s
				  user: {}
				contexts:
				- name: %1$s
				  context:
				    cluster: %1$s
				    user: %1$s
				    namespace: default
				current-context: %1$s
				""".formatted(NAME, server);
		try {
			Path parent = file.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			Files.writeString(file, config);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the kubeconfig " + file, ex);
		}
	}

}
