/**
 * The identity-cardinality guard: warns (log, metric, Kubernetes Event, actuator
 * endpoint) of labels that make identities multiply, such as a label unique per pod.
 */
package io.jcilium.agent.identity.cardinality;
