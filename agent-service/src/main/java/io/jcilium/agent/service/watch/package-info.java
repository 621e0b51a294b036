/**
 * The level-triggered reconciler from the Service and EndpointSlice informers to the
 * programmer.
 */
package io.jcilium.agent.service.watch;
