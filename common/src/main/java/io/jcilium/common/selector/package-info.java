/**
 * Kubernetes label selectors with Cilium's source-qualified keys.
 */
package io.jcilium.common.selector;
