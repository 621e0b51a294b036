/**
 * Console commands about the cluster's nodes as the agent knows them, read from the
 * agent's REST API.
 */
package io.jcilium.cli.node;
