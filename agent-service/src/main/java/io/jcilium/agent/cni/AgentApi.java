package io.jcilium.agent.cni;

import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.endpoint.HeldOrphan;
import io.jcilium.agent.endpoint.QuarantinedStateFile;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Routes of the agent's unix-socket REST API, named like upstream's {@code /v1} API.
 */
final class AgentApi {

	private final CniService cni;

	private final EndpointManager endpoints;

	AgentApi(CniService cni, EndpointManager endpoints) {
		this.cni = cni;
		this.endpoints = endpoints;
	}

	HttpResponse handle(HttpRequest request) {
		String route = request.method() + " " + request.path();
		return switch (route) {
			case "PUT /v1/cni/add" -> this.cni.add(request);
			case "PUT /v1/cni/del" -> this.cni.del(request);
			case "PUT /v1/cni/check" -> this.cni.check(request);
			case "GET /v1/endpoint" -> HttpResponse.json(200, Json.write(this.endpoints.list()));
			case "GET /v1/endpoint/quarantine" -> HttpResponse.json(200, quarantined());
			case "GET /v1/endpoint/quarantine/orphans" -> HttpResponse.json(200, heldOrphans());
			case "GET /v1/healthz" -> HttpResponse.json(200, "{\"status\":\"ok\"}");
			default -> HttpResponse.json(404,
					"{\"message\":"
							+ Json.quote("no route " + route + "; known: PUT /v1/cni/{add,del,check}, GET /v1/endpoint,"
									+ " GET /v1/endpoint/quarantine{,/orphans}, GET /v1/healthz")
							+ "}");
		};
	}

	/** State files the restore moved aside: {@code [{"file":..,"reason":..}]}. */
	private String quarantined() {
		ArrayNode list = Json.MAPPER.createArrayNode();
		for (QuarantinedStateFile file : this.endpoints.quarantinedStateFiles()) {
			list.addObject().put("file", file.file().toString()).put("reason", file.reason());
		}
		return list.toString();
	}

	/**
	 * Addresses and veths held for container interfaces with no endpoint (often the pods
	 * of quarantined files), and why each is still held:
	 * {@code [{"containerId":..,"ifName":..,"ip":..,"hostIfName":..,"cause":..,"heldSince":..,"heldBecause":..}]}.
	 */
	private String heldOrphans() {
		ArrayNode list = Json.MAPPER.createArrayNode();
		for (HeldOrphan orphan : this.endpoints.heldOrphans()) {
			list.addObject()
				.put("containerId", orphan.containerId())
				.put("ifName", orphan.ifName())
				.put("ip", orphan.ip())
				.put("hostIfName", orphan.hostIfName())
				.put("cause", orphan.cause())
				.put("heldSince", (orphan.heldSince() != null) ? orphan.heldSince().toString() : null)
				.put("heldBecause", orphan.heldBecause());
		}
		return list.toString();
	}

}
