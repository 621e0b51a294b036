/**
 * The speaker's configuration from the API server: this node's
 * {@code CiliumBGPNodeConfig} (written by the operator), the peer configs it names, the
 * advertisements their families select and the node's {@code CiliumNode}.
 */
package io.jcilium.bgp.nodeconfig;
