/**
 * {@code hubble observe|status|list nodes|list namespaces}: upstream's Hubble CLI against
 * the relay or one agent, over the Observer gRPC API only.
 */
package io.jcilium.cli.hubble;
