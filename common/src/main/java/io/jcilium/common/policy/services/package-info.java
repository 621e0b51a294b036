/**
 * Policy that depends on Kubernetes services ({@code toServices}): the services as the
 * policy sees them and the resolution of the terms into peers.
 */
package io.jcilium.common.policy.services;
