/**
 * Named background jobs: periodic, retried until they succeed, or long-running loops on
 * their own thread, each with exponential backoff with jitter and a record of runs,
 * failures, the last error and the last success. Plain Java: the Micrometer and health
 * adapters live in the {@code metrics} and {@code health} subpackages.
 */
package io.jcilium.jobs;
