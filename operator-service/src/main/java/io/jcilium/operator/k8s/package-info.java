/**
 * Kubernetes plumbing shared by the operator's controllers: the client and the reconcile
 * loop job.
 */
package io.jcilium.operator.k8s;
