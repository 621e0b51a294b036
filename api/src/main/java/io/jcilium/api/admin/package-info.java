/**
 * Who may reach a service's HTTP port: for a service on the node's network, only the
 * metrics from other addresses, health and every admin endpoint from loopback.
 */
package io.jcilium.api.admin;
