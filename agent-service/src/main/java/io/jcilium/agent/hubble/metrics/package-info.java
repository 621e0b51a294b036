/**
 * Hubble's flow metrics with upstream's names and labels ({@code hubble_*_total}), their
 * label contexts and a cap on label sets per metric.
 */
package io.jcilium.agent.hubble.metrics;
