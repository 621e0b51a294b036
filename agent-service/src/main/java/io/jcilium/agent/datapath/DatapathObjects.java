package io.jcilium.agent.datapath;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Finds the compiled datapath objects the build put under {@code bpf/} on the classpath.
 * libbpf needs a file: inside a jar the object is copied to a temporary file first.
 */
public final class DatapathObjects {

	/** The pod (lxc) programs: from-container and to-container. */
	public static final String LXC = "bpf_lxc.o";

	private DatapathObjects() {
	}

	/**
	 * A file holding the named object.
	 * @param objectName e.g. {@link #LXC}
	 * @return a readable file
	 */
	public static Path resolve(String objectName) {
		String resource = "bpf/" + objectName;
		URL url = DatapathObjects.class.getClassLoader().getResource(resource);
		if (url == null) {
			throw new IllegalStateException("BPF object " + resource + " is not on the classpath: build agent-service"
					+ " with Maven (it runs make in bpf/; needs clang, see scripts/setup.sh)");
		}
		try {
			if ("file".equals(url.getProtocol())) {
				return Path.of(url.toURI());
			}
			Path copy = Files.createTempFile("jcilium-", "-" + objectName);
			copy.toFile().deleteOnExit();
			try (InputStream in = url.openStream()) {
				Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
			}
			return copy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot extract " + resource, ex);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("bad classpath URL " + url, ex);
		}
	}

}
