/**
 * Micrometer metrics of named jobs; needs micrometer-core, which the jobs core does not.
 */
package io.jcilium.jobs.metrics;
