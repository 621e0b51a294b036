/**
 * {@code config}: the agent's options, shown and changed as with upstream's
 * {@code cilium-dbg config}.
 */
package io.jcilium.cli.config;
