/**
 * The relay's named background jobs, their metrics and health.
 */
package io.jcilium.relay.jobs;
