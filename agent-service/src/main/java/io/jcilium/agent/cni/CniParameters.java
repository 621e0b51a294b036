package io.jcilium.agent.cni;

import java.util.regex.Pattern;

/**
 * The CNI spec's rules for the per-attachment parameters, checked before any of them
 * reaches a file name, an {@code ip} command or the state directory. A violation is error
 * 4 ("Invalid necessary environment variables"), whose message the spec wants to name the
 * variable.
 */
final class CniParameters {

	/**
	 * CNI spec 1.0, section 2 "Parameters": "Must start with an alphanumeric character,
	 * optionally followed by any combination of one or more alphanumeric characters,
	 * underscore (_), dot (.) or hyphen (-)." ASCII only, as libcni's own check.
	 */
	private static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");

	/** Linux's IFNAMSIZ is 16 bytes including the terminating NUL. */
	private static final int MAX_IF_NAME = 15;

	/** Bound on a namespace path; PATH_MAX is 4096, runtimes use far less. */
	private static final int MAX_NETNS_PATH = 1024;

	private CniParameters() {
	}

	/**
	 * @return what is wrong with {@code CNI_CONTAINERID}, or {@code null}
	 */
	static String containerIdProblem(String id) {
		if (!CONTAINER_ID.matcher(id).matches()) {
			return "CNI_CONTAINERID '" + printable(id) + "' is invalid: it must start with a letter or digit,"
					+ " followed only by letters, digits, '_', '.' or '-' (CNI spec)";
		}
		return null;
	}

	/**
	 * The spec's interface name rules (those of the kernel's {@code dev_valid_name}): not
	 * empty, at most 15 bytes, not {@code .} or {@code ..}, no {@code /}, {@code :} or
	 * whitespace. Control characters are refused too: no interface name needs one.
	 * @return what is wrong with {@code CNI_IFNAME}, or {@code null}
	 */
	static String ifNameProblem(String name) {
		String problem = null;
		if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_IF_NAME) {
			problem = "is longer than " + MAX_IF_NAME + " bytes";
		}
		else if (name.equals(".") || name.equals("..")) {
			problem = "must not be '.' or '..'";
		}
		else if (name.chars()
			.anyMatch((c) -> c == '/' || c == ':' || Character.isWhitespace(c) || Character.isSpaceChar(c)
					|| Character.isISOControl(c))) {
			problem = "must not contain '/', ':', whitespace or control characters";
		}
		return (problem != null) ? "CNI_IFNAME '" + printable(name) + "' " + problem + " (CNI spec, Linux)" : null;
	}

	/**
	 * A namespace path as runtimes pass it ({@code /run/netns/<name>},
	 * {@code /proc/<pid>/ns/net}): absolute and clean ({@code .} and {@code ..} segments
	 * could point anywhere), with no whitespace or control characters.
	 * @return what is wrong with {@code CNI_NETNS}, or {@code null}
	 */
	static String netnsProblem(String path) {
		String problem = null;
		if (!path.startsWith("/") || path.length() > MAX_NETNS_PATH || path.equals("/")) {
			problem = "must be an absolute path to a network namespace, e.g. /run/netns/<name>";
		}
		else if (path.chars().anyMatch((c) -> Character.isWhitespace(c) || Character.isISOControl(c))) {
			problem = "must not contain whitespace or control characters";
		}
		else {
			for (String segment : path.substring(1).split("/", -1)) {
				if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
					problem = "must not contain empty, '.' or '..' segments";
					break;
				}
			}
		}
		return (problem != null) ? "CNI_NETNS '" + printable(path) + "' " + problem : null;
	}

	/** Echo hostile input without its control characters (it ends up in logs). */
	static String printable(String value) {
		String shown = value.replaceAll("\\p{Cntrl}", "?");
		return (shown.length() > 100) ? shown.substring(0, 100) + "..." : shown;
	}

}
