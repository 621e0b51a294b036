/**
 * Converging the running speaker on what its configuration asks for, whichever source (a
 * lab file, the API server) the plan comes from.
 */
package io.jcilium.bgp.reconcile;
