/**
 * {@code cilium.io/v2} resources and the types they share.
 */
package io.jcilium.api.crd.v2;
