/**
 * Agent-side pod IP allocation from the node's pod CIDR: allocate, release by owner,
 * restore after a restart.
 */
package io.jcilium.agent.ipam;
