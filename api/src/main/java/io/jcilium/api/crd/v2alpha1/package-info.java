/**
 * {@code cilium.io/v2alpha1} resources: pools, BGP peering and L2 announcements.
 */
package io.jcilium.api.crd.v2alpha1;
