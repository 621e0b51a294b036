package io.jcilium.bgp.fsm;

/**
 * The states of RFC 4271 section 8.2.2, in the order a session goes up.
 */
public enum SessionState {

	IDLE, CONNECT, ACTIVE, OPEN_SENT, OPEN_CONFIRM, ESTABLISHED

}
