/**
 * The one way our services build their Kubernetes client (agent-service,
 * operator-service, bgp-service), on the JDK's HTTP client: watches that notice a
 * silently dead API-server connection within {@link io.jcilium.k8s.WatchLiveness}, and
 * informers that list again after it.
 */
package io.jcilium.k8s;
