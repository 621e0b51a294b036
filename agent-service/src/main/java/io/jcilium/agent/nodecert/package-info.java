/**
 * The node's own certificate (kubelet-style TLS bootstrap): obtained from the
 * certificates API before the {@code grpc} SSL bundle is read, reused across restarts
 * while valid, renewed at two thirds of its validity.
 */
package io.jcilium.agent.nodecert;
