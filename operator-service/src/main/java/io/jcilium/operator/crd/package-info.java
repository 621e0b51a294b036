/**
 * Registration of the bundled cilium.io CRDs on start.
 */
package io.jcilium.operator.crd;
