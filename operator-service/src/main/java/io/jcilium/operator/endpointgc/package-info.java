/**
 * Garbage collection of CiliumEndpoints whose pods are gone.
 */
package io.jcilium.operator.endpointgc;
