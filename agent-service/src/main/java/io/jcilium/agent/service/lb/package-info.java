/**
 * The load balancer's model (frontends, backends, scopes) and the programmer that writes
 * one service's difference into the LB maps, behind
 * {@link io.jcilium.agent.service.lb.LbMaps}. Plain Java.
 */
package io.jcilium.agent.service.lb;
