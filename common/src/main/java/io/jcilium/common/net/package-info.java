/**
 * CIDRs, ports, port ranges and protocols.
 */
package io.jcilium.common.net;
