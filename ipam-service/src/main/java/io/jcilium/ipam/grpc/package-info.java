/**
 * The IPAM gRPC API: maps requests to the pools and domain errors to status codes.
 */
package io.jcilium.ipam.grpc;
