/**
 * What the services that keep their state in Redis share (identity-service,
 * ipam-service).
 */
package io.jcilium.redis;
