package io.jcilium.common.policy.engine;

import io.jcilium.common.net.Protocol;

/**
 * A container port with a name, as pods declare them; {@code toPorts} may refer to the
 * name.
 *
 * @param name the port name
 * @param port the port number
 * @param protocol the protocol
 */
public record NamedPort(String name, int port, Protocol protocol) {
}
