package io.jcilium.ipam.multipool;

/**
 * A block of a pool held by a node.
 *
 * @param pool the pool's name
 * @param node the node's name
 * @param cidr the block
 */
public record NodeBlock(String pool, String node, String cidr) {

}
