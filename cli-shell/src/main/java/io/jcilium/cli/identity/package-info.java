/**
 * Console commands about security identities, read from identity-service over its
 * {@code identity.v1} gRPC API.
 */
package io.jcilium.cli.identity;
