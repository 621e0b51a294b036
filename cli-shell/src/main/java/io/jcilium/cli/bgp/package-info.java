/**
 * The console's {@code bgp peers} and {@code bgp routes advertised AFI SAFI}:
 * bgp-service's neighbours and the routes it sends them, in upstream's {@code cilium bgp}
 * columns.
 */
package io.jcilium.cli.bgp;
