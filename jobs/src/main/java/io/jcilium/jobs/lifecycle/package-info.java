/**
 * Jobs started and stopped with a Spring application context; needs spring-context
 * (through spring-boot-health), which the jobs core does not.
 */
package io.jcilium.jobs.lifecycle;
