package io.jcilium.identity.allocation;

/**
 * The answer to an allocation.
 *
 * @param identity the identity of the label set
 * @param created whether this call created it
 */
public record Allocation(Identity identity, boolean created) {

}
