package io.jcilium.agent.node.routing;

import java.util.Set;

/** The kernel routes this feature owns, and nobody else's. */
interface RouteTable {

	/**
	 * The routes installed by this feature (also by an earlier run of the agent).
	 * @return the routes
	 * @throws RouteException when they cannot be read
	 */
	Set<DirectRoute> installed();

	/**
	 * Installs a route, replacing one to the same destination.
	 * @param route the route
	 * @throws RouteException when the kernel refuses it
	 */
	void replace(DirectRoute route);

	/**
	 * Removes a route this feature installed.
	 * @param route the route
	 * @throws RouteException when the kernel refuses
	 */
	void delete(DirectRoute route);

}
