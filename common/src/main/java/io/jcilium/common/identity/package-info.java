/**
 * Reserved and numeric security identities.
 */
package io.jcilium.common.identity;
