/**
 * How commands print what they read: upstream's tables by default, {@code -o json} and
 * {@code -o yaml} for scripts.
 */
package io.jcilium.cli.output;
