/**
 * Plain-Java client of identity-service: resilient unary calls, a local identity cache
 * fed by the Watch stream, and the node's lease.
 */
package io.jcilium.identity.client;
