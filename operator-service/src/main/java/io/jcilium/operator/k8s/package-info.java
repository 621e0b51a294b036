/**
 * Kubernetes plumbing shared by the operator's controllers: the client, the reconcile
 * loop job and the informer-fed controller base.
 */
package io.jcilium.operator.k8s;
