/**
 * {@code hubble observe|status|list nodes}: upstream's Hubble CLI against the relay or
 * one agent, over the Observer gRPC API only.
 */
package io.jcilium.cli.hubble;
