/**
 * The endpoint lifecycle: one endpoint per pod interface, created by CNI ADD, moved
 * through upstream's states ({@code waiting-for-identity -> waiting-to-regenerate ->
 * regenerating -> ready}, {@code disconnecting -> disconnected}) and removed by CNI DEL.
 */
package io.jcilium.agent.endpoint;
