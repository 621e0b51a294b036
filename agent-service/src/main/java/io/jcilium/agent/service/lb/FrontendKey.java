package io.jcilium.agent.service.lb;

import java.util.Objects;

/**
 * One frontend entry of the service map: address, port, protocol and scope.
 *
 * @param address what clients connect to
 * @param scope which clients it serves
 */
public record FrontendKey(L4Address address, Scope scope) {

	public FrontendKey {
		Objects.requireNonNull(address, "address");
		Objects.requireNonNull(scope, "scope");
	}

	@Override
	public String toString() {
		return (this.scope == Scope.INTERNAL) ? this.address + " (internal)" : this.address.toString();
	}

}
