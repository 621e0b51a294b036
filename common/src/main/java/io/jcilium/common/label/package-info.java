/**
 * Labels of endpoints and identities, and the identity-relevant label filter.
 */
package io.jcilium.common.label;
