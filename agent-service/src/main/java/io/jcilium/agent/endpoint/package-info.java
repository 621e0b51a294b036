/**
 * The endpoint lifecycle: one endpoint per pod interface, created by CNI ADD, moved
 * through upstream's states ({@code waiting-for-identity -> waiting-to-regenerate ->
 * regenerating -> ready}, {@code disconnecting -> disconnected}) and removed by CNI DEL;
 * no endpoint becomes ready before the policy's inputs have synced. Also the endpoints'
 * CiliumEndpoint objects: written for local pods, read into the ipcache for remote ones.
 */
package io.jcilium.agent.endpoint;
