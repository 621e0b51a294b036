package io.jcilium.agent.service;

import java.util.List;
import java.util.Map;

import io.jcilium.agent.service.lb.LbProgrammer;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code GET /actuator/service}: every frontend the agent has programmed into the LB
 * maps, with its service ID and backends ({@link ServiceEntry}); {@code GET
 * /actuator/service/{id}}: the entries of one service ID. The console's
 * {@code service list|get} and {@code bpf lb list} read it.
 */
@WebEndpoint(id = "service")
public class ServiceEndpoint {

	private final LbProgrammer programmer;

	public ServiceEndpoint(LbProgrammer programmer) {
		this.programmer = programmer;
	}

	@ReadOperation
	public List<ServiceEntry> services() {
		return this.programmer.programmed().stream().map(ServiceEntry::of).toList();
	}

	@ReadOperation
	public WebEndpointResponse<Object> service(@Selector int id) {
		List<ServiceEntry> entries = this.programmer.programmed()
			.stream()
			.filter((programmed) -> programmed.id() == id)
			.map(ServiceEntry::of)
			.toList();
		if (entries.isEmpty()) {
			return new WebEndpointResponse<>(
					Map.of("message", "no service with ID " + id + " on this node; 'service list' shows the IDs"),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		return new WebEndpointResponse<>(entries);
	}

}
