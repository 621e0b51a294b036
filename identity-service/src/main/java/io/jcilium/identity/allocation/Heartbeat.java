package io.jcilium.identity.allocation;

import java.time.Duration;

/**
 * The outcome of a node's heartbeat.
 *
 * @param leaseTtl how long the lease lasts without another heartbeat
 * @param leaseLost whether the node had no live lease before (it expired, or the store
 * lost its data): its references may be gone and it should register what it holds
 */
public record Heartbeat(Duration leaseTtl, boolean leaseLost) {
}
