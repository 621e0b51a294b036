/**
 * Console commands about one agent's endpoints: their policy, read from the agent.
 */
package io.jcilium.cli.endpoint;
