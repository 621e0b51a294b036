/**
 * Spring Boot health of named jobs; needs spring-boot-health, which the jobs core does
 * not.
 */
package io.jcilium.jobs.health;
