/**
 * Kubernetes Lease leader election: only the leading operator replica runs the
 * controllers that write to the API.
 */
package io.jcilium.operator.election;
