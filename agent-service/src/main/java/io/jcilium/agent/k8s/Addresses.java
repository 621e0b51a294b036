package io.jcilium.agent.k8s;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.jcilium.common.net.Cidr;

/**
 * Addresses as API objects write them, checked to be IP literals (never resolved as host
 * names).
 */
public final class Addresses {

	private Addresses() {
	}

	/**
	 * The host prefix of an IP literal.
	 * @param ip e.g. {@code 10.0.1.5}
	 * @return {@code 10.0.1.5/32}, or {@code null} if the text is not an IP
	 */
	public static Cidr hostPrefix(String ip) {
		if (ip == null || ip.isBlank() || ip.contains("/")) {
			return null;
		}
		try {
			return Cidr.parse(ip);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The address of an IP literal.
	 * @param ip e.g. {@code 192.168.1.2}
	 * @return the address, or {@code null} if the text is not an IP
	 */
	public static InetAddress address(String ip) {
		if (hostPrefix(ip) == null) {
			return null;
		}
		try {
			// A literal, checked above: no name lookup happens.
			return InetAddress.getByName(ip);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
