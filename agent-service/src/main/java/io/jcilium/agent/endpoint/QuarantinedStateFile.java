package io.jcilium.agent.endpoint;

import java.nio.file.Path;

/**
 * An endpoint state file the agent could not restore from, moved aside for inspection
 * rather than deleted or ignored. The pod it described may still run: its address and
 * veth are held ({@link HeldOrphan}) until CNI DEL of the pod, or until the API server
 * shows no pod of this node with the address.
 *
 * @param file where the file was moved
 * @param reason why it could not be restored
 */
public record QuarantinedStateFile(Path file, String reason) {

}
