/**
 * Console commands about cluster IPAM, read from ipam-service over its {@code ipam.v1}
 * gRPC API: pools with their use, and the CIDRs and blocks each node holds.
 */
package io.jcilium.cli.ipam;
