package io.jcilium.agent.cni;

import java.io.IOException;
import java.net.Inet4Address;
import java.util.List;

import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.endpoint.EndpointCreationException;
import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.endpoint.EndpointRequest;
import io.jcilium.agent.endpoint.EndpointState;
import io.jcilium.agent.link.LinkOperations;
import io.jcilium.agent.link.PodLink;
import io.jcilium.agent.link.PodLinkSpec;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * CNI ADD, DEL and CHECK (CNI spec 1.0) on top of the endpoint lifecycle: validates the
 * call, drives {@link EndpointManager}, and answers with a CNI result or a CNI error.
 */
final class CniService {

	/**
	 * What VERSION reports; podman 4.3 (libcni 1.1.2) rejects a config outside this list.
	 */
	static final List<String> SUPPORTED_VERSIONS = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0");

	private final EndpointManager endpoints;

	private final LinkOperations links;

	CniService(EndpointManager endpoints, LinkOperations links) {
		this.endpoints = endpoints;
		this.links = links;
	}

	HttpResponse add(HttpRequest request) {
		try {
			CniInvocation call = CniInvocation.parse(request, true);
			Endpoint endpoint = this.endpoints.add(new EndpointRequest(call.containerId(), call.ifName(), call.netns(),
					call.podNamespace(), call.podName(), call.requestedIp()));
			return HttpResponse.json(200, result(call, endpoint));
		}
		catch (CniException ex) {
			return error(400, ex);
		}
		catch (EndpointCreationException ex) {
			// Not ready in time is transient (identity or policy not there yet): the
			// spec's
			// "try again later"; the runtime calls DEL and retries the ADD.
			int code = switch (ex.stage()) {
				case IP_ALLOCATION -> CniError.IP_ALLOCATION_FAILED;
				case LINK -> CniError.LINK_SETUP_FAILED;
				case IDENTITY, DATAPATH, STATE -> CniError.ENDPOINT_NOT_READY;
				case SYNC_TIMEOUT -> CniError.TRY_AGAIN_LATER;
			};
			String msg = (ex.stage() == EndpointCreationException.Stage.SYNC_TIMEOUT)
					? "the endpoint is not enforced yet" : "creating the endpoint failed";
			return error(500, new CniException(versionOf(request), new CniError(code, msg, ex.getMessage())));
		}
	}

	/**
	 * DEL succeeds for unknown containers: runtimes call it after failed ADDs and repeat
	 * it.
	 */
	HttpResponse del(HttpRequest request) {
		try {
			CniInvocation call = CniInvocation.parse(request, false);
			this.endpoints.delete(call.containerId(), call.ifName());
			return HttpResponse.empty(200);
		}
		catch (CniException ex) {
			return error(400, ex);
		}
	}

	HttpResponse check(HttpRequest request) {
		try {
			CniInvocation call = CniInvocation.parse(request, true);
			Endpoint endpoint = this.endpoints.find(call.containerId(), call.ifName())
				.orElseThrow(() -> checkFailed(call,
						"no endpoint for container " + call.containerId() + " interface " + call.ifName()));
			if (endpoint.state() != EndpointState.READY) {
				throw checkFailed(call, "endpoint " + endpoint.id() + " is " + endpoint.state().apiName());
			}
			if (!this.links.hostLinkExists(endpoint.hostIfName())) {
				throw checkFailed(call, "node-side interface " + endpoint.hostIfName() + " is missing");
			}
			return HttpResponse.empty(200);
		}
		catch (CniException ex) {
			return error(400, ex);
		}
	}

	private static CniException checkFailed(CniInvocation call, String details) {
		return new CniException(call.cniVersion(), new CniError(CniError.CHECK_FAILED, "CHECK failed", details));
	}

	/**
	 * The ADD result; 0.3.x and 0.4.0 results carry an IP version per address, 1.0.0 not.
	 */
	static String result(CniInvocation call, Endpoint endpoint) {
		PodLink link = endpoint.link();
		ObjectNode result = Json.MAPPER.createObjectNode();
		result.put("cniVersion", call.cniVersion());
		ArrayNode interfaces = result.putArray("interfaces");
		interfaces.addObject().put("name", link.hostIfName()).put("mac", link.hostMac());
		interfaces.addObject().put("name", link.podIfName()).put("mac", link.podMac()).put("sandbox", call.netns());
		boolean ipv4 = endpoint.ip() instanceof Inet4Address;
		ObjectNode ip = result.putArray("ips").addObject();
		if (!"1.0.0".equals(call.cniVersion())) {
			ip.put("version", ipv4 ? "4" : "6");
		}
		ip.put("address", endpoint.ip().getHostAddress() + (ipv4 ? "/32" : "/128"));
		ip.put("gateway", PodLinkSpec.POD_GATEWAY);
		ip.put("interface", 1);
		result.putArray("routes")
			.addObject()
			.put("dst", ipv4 ? "0.0.0.0/0" : "::/0")
			.put("gw", PodLinkSpec.POD_GATEWAY);
		result.putObject("dns");
		return result.toString();
	}

	private static HttpResponse error(int status, CniException ex) {
		return HttpResponse.json(status, ex.error().toJson(ex.cniVersion()));
	}

	private static String versionOf(HttpRequest request) {
		try {
			String version = Json.MAPPER.readTree(request.body()).path("cniVersion").asText();
			return SUPPORTED_VERSIONS.contains(version) ? version : CniInvocation.FALLBACK_VERSION;
		}
		catch (IOException | RuntimeException ex) {
			return CniInvocation.FALLBACK_VERSION;
		}
	}

}
