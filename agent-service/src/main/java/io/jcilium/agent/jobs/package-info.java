/**
 * The agent's background jobs: one {@link io.jcilium.jobs.Jobs} the cells create their
 * named jobs in, and its metrics.
 */
package io.jcilium.agent.jobs;
