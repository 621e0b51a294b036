/**
 * Who is calling a cluster service, and what it may do: the caller a client declares on
 * every call, the server interceptor that makes it known to the handlers, and the rules
 * (a node acts only for itself, administration only from the operator).
 */
package io.jcilium.api.caller;
