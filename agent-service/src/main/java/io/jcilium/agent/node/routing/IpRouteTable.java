package io.jcilium.agent.node.routing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.k8s.Addresses;
import io.jcilium.common.net.Cidr;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The main routing table through iproute2. Every route carries {@link #PROTOCOL}, a
 * protocol number of this agent's own, so {@link #installed()} finds exactly the routes
 * an agent put there (also a previous run's, which a restart must converge, not
 * duplicate) and never touches routes of the administrator or other daemons. A few
 * commands per node change, far from any per-packet or per-pod path, so forking
 * {@code ip} is cheap enough.
 */
final class IpRouteTable implements RouteTable {

	/** The routes' protocol ({@code ip route ... proto 198}); not one iproute2 names. */
	static final int PROTOCOL = 198;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final List<String> ipCommand;

	private final Duration timeout;

	/**
	 * @param ipCommand how to run iproute2's {@code ip} in this node's network namespace,
	 * e.g. {@code [ip]}
	 * @param timeout bound on each command
	 */
	IpRouteTable(List<String> ipCommand, Duration timeout) {
		this.ipCommand = List.copyOf(ipCommand);
		this.timeout = timeout;
	}

	@Override
	public Set<DirectRoute> installed() {
		Set<DirectRoute> routes = new HashSet<>();
		for (String family : List.of("-4", "-6")) {
			String json = run("reading the routes of protocol " + PROTOCOL, family, "-j", "route", "show", "proto",
					Integer.toString(PROTOCOL));
			for (JsonNode route : JSON.readTree(json.isBlank() ? "[]" : json)) {
				InetAddress gateway = Addresses.address(route.path("gateway").asString(""));
				String dst = route.path("dst").asString("");
				if (gateway != null && !dst.isEmpty() && !"default".equals(dst)) {
					routes.add(new DirectRoute(Cidr.parse(dst), gateway));
				}
			}
		}
		return routes;
	}

	@Override
	public void replace(DirectRoute route) {
		run("installing the route " + route, "route", "replace", route.destination().toString(), "via",
				route.gateway().getHostAddress(), "proto", Integer.toString(PROTOCOL));
	}

	@Override
	public void delete(DirectRoute route) {
		run("removing the route " + route, "route", "del", route.destination().toString(), "via",
				route.gateway().getHostAddress(), "proto", Integer.toString(PROTOCOL));
	}

	private String run(String what, String... args) {
		List<String> command = new ArrayList<>(this.ipCommand);
		command.addAll(List.of(args));
		Path output = null;
		try {
			// A file, not a pipe: a hung command cannot block the read past the timeout.
			output = Files.createTempFile("jcilium-route-", ".out");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			process.getOutputStream().close();
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new RouteException(what + " timed out after " + this.timeout.toMillis() + " ms");
			}
			String text = Files.readString(output, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new RouteException(what + " failed: " + String.join(" ", command) + " exited with "
						+ process.exitValue() + ": " + text.strip());
			}
			return text;
		}
		catch (IOException ex) {
			throw new RouteException(what + " failed: cannot run " + String.join(" ", command) + ": " + ex.getMessage(),
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RouteException(what + " was interrupted", ex);
		}
		finally {
			if (output != null) {
				try {
					Files.deleteIfExists(output);
				}
				catch (IOException ignored) {
					// a temporary file left behind is harmless
				}
			}
		}
	}

}
