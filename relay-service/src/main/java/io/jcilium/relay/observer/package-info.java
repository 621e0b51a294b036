/**
 * The relay's {@code observer.Observer}: every node's flows merged in time order, and the
 * cluster's nodes and status.
 */
package io.jcilium.relay.observer;
