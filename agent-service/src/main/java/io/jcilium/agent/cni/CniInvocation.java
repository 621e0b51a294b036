package io.jcilium.agent.cni;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One CNI call as the plugin forwards it: the {@code CNI_*} environment as
 * {@code X-Cni-*} headers and the network config as the body.
 *
 * @param cniVersion the config's {@code cniVersion}
 * @param containerId {@code CNI_CONTAINERID}
 * @param netns {@code CNI_NETNS}, may be empty for DEL
 * @param ifName {@code CNI_IFNAME}
 * @param args {@code CNI_ARGS} as key/value pairs
 */
record CniInvocation(String cniVersion, String containerId, String netns, String ifName, Map<String, String> args) {

	/** The version used in an error when the config's own cannot be read. */
	static final String FALLBACK_VERSION = "1.0.0";

	/**
	 * Reads and checks a forwarded call.
	 * @throws CniException with the spec's code when the environment or config is invalid
	 */
	static CniInvocation parse(HttpRequest request, boolean netnsRequired) {
		JsonNode config;
		try {
			config = Json.MAPPER.readTree(request.body());
		}
		catch (IOException ex) {
			// Only a parse error is possible: the body is in memory.
			throw new CniException(FALLBACK_VERSION,
					new CniError(CniError.DECODING_FAILURE, "network config is not valid JSON",
							(ex instanceof JacksonException json) ? json.getOriginalMessage() : ex.getMessage()));
		}
		if (config == null || !config.isObject() || !config.path("cniVersion").isTextual()) {
			throw new CniException(FALLBACK_VERSION, new CniError(CniError.INVALID_NETWORK_CONFIG,
					"network config has no cniVersion", "expected a JSON object with a string field cniVersion"));
		}
		String version = config.path("cniVersion").asText();
		if (!CniService.SUPPORTED_VERSIONS.contains(version)) {
			throw new CniException(FALLBACK_VERSION, new CniError(CniError.INCOMPATIBLE_VERSION,
					"CNI version " + version + " is not supported", "supported: " + CniService.SUPPORTED_VERSIONS));
		}
		String containerId = required(request, "X-Cni-Containerid", "CNI_CONTAINERID", version);
		String ifName = required(request, "X-Cni-Ifname", "CNI_IFNAME", version);
		String netns = (netnsRequired) ? required(request, "X-Cni-Netns", "CNI_NETNS", version)
				: valueOrEmpty(request.header("X-Cni-Netns"));
		check(CniParameters.containerIdProblem(containerId), "CNI_CONTAINERID", version);
		check(CniParameters.ifNameProblem(ifName), "CNI_IFNAME", version);
		if (netnsRequired || !netns.isEmpty()) {
			check(CniParameters.netnsProblem(netns), "CNI_NETNS", version);
		}
		return new CniInvocation(version, containerId, netns, ifName,
				parseArgs(valueOrEmpty(request.header("X-Cni-Args"))));
	}

	/** {@code K8S_POD_NAMESPACE} from CNI_ARGS, or {@code null}. */
	String podNamespace() {
		return this.args.get("K8S_POD_NAMESPACE");
	}

	/** {@code K8S_POD_NAME} from CNI_ARGS, or {@code null}. */
	String podName() {
		return this.args.get("K8S_POD_NAME");
	}

	/**
	 * {@code IP} from CNI_ARGS (podman's {@code --ip}), or {@code null}.
	 * @throws CniException if it is not an IP address
	 */
	InetAddress requestedIp() {
		String ip = this.args.get("IP");
		if (ip == null || ip.isEmpty()) {
			return null;
		}
		if (!ip.matches("[0-9a-fA-F.:]+")) {
			throw invalidArgs("IP=" + ip + " is not an IP address");
		}
		try {
			return InetAddress.getByName(ip);
		}
		catch (UnknownHostException ex) {
			throw invalidArgs("IP=" + ip + " is not an IP address");
		}
	}

	private CniException invalidArgs(String details) {
		return new CniException(this.cniVersion,
				new CniError(CniError.INVALID_ENVIRONMENT, "invalid CNI_ARGS", details));
	}

	static Map<String, String> parseArgs(String args) {
		Map<String, String> result = new LinkedHashMap<>();
		for (String pair : args.split(";")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				result.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
			}
		}
		return result;
	}

	private static void check(String problem, String variable, String version) {
		if (problem != null) {
			throw new CniException(version, new CniError(CniError.INVALID_ENVIRONMENT, "invalid " + variable, problem));
		}
	}

	private static String required(HttpRequest request, String header, String variable, String version) {
		String value = request.header(header);
		if (value == null || value.isEmpty()) {
			throw new CniException(version, new CniError(CniError.INVALID_ENVIRONMENT, variable + " is not set",
					"the container runtime must set " + variable));
		}
		return value;
	}

	private static String valueOrEmpty(String value) {
		return (value != null) ? value : "";
	}

}
