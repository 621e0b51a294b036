package io.jcilium.agent.datapath.fuzz;

import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.PodTraffic;
import io.jcilium.common.net.Protocol;

/**
 * Real packets for the fuzzer's probes: a TCP connect that must carry a byte back, a UDP
 * datagram that must arrive, an ICMP echo that must be answered. A packet that arrives
 * proves the connection passed; one that does not arrive within a short bound is only a
 * candidate drop, which {@link #confirmedDelivered} tries again with generous bounds
 * before anyone calls it a drop.
 */
final class PacketProbes implements AutoCloseable {

	private static final int QUICK_CONNECT_MILLIS = 500;

	private static final int PATIENT_CONNECT_MILLIS = 5000;

	private static final int PATIENT_ATTEMPTS = 3;

	private static final int BIND_ATTEMPTS = 5;

	private static final long BIND_RETRY_MILLIS = 200;

	private final Map<String, PodTopology.Pod> pods;

	private final List<ServerSocket> listeners = new ArrayList<>();

	/**
	 * Starts a TCP listener for every destination pod and TCP port probed.
	 * @param pods pods by name
	 * @param probes the probes to come
	 */
	PacketProbes(Map<String, PodTopology.Pod> pods, List<FuzzScenario.Probe> probes) {
		this.pods = pods;
		Set<String> listening = new LinkedHashSet<>();
		try {
			for (FuzzScenario.Probe probe : probes) {
				if (probe.port().protocol() == Protocol.TCP && listening.add(probe.to() + ":" + probe.port().port())) {
					this.listeners.add(PodTraffic.listen(pod(probe.to()), probe.port().port()));
				}
			}
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * One quick try.
	 * @param probe the probe
	 * @return whether the packets got through
	 */
	boolean delivered(FuzzScenario.Probe probe) {
		PodTopology.Pod from = pod(probe.from());
		PodTopology.Pod to = pod(probe.to());
		return switch (probe.port().protocol()) {
			case TCP -> PodTraffic.connects(from, to, probe.port().port(), QUICK_CONNECT_MILLIS);
			case UDP -> udpDelivered(from, to, probe.port().port());
			case ICMP -> PodTraffic.ping(from, to, 1) > 0;
			default -> throw new IllegalArgumentException("no probe for " + probe.port());
		};
	}

	/**
	 * Tries again with generous bounds, so that a loaded machine is not mistaken for a
	 * drop.
	 * @param probe the probe
	 * @return whether any try got through
	 */
	boolean confirmedDelivered(FuzzScenario.Probe probe) {
		PodTopology.Pod from = pod(probe.from());
		PodTopology.Pod to = pod(probe.to());
		for (int attempt = 0; attempt < PATIENT_ATTEMPTS; attempt++) {
			boolean through = switch (probe.port().protocol()) {
				case TCP -> PodTraffic.connects(from, to, probe.port().port(), PATIENT_CONNECT_MILLIS);
				case UDP -> udpDelivered(from, to, probe.port().port());
				case ICMP -> PodTraffic.ping(from, to, 3) > 0;
				default -> throw new IllegalArgumentException("no probe for " + probe.port());
			};
			if (through) {
				return true;
			}
		}
		return false;
	}

	/**
	 * {@link PodTraffic#udpDelivered}, with the receiver's bind tried again a few times:
	 * the long run met "address already in use" once in a few hundred seeds on a port no
	 * other probe of the pod used at that moment; the failure names the sockets open.
	 */
	private boolean udpDelivered(PodTopology.Pod from, PodTopology.Pod to, int port) {
		for (int attempt = 1;; attempt++) {
			try {
				return PodTraffic.udpDelivered(from, to, port);
			}
			catch (IllegalStateException ex) {
				if (!(rootCause(ex) instanceof BindException) || attempt == BIND_ATTEMPTS) {
					throw ex;
				}
				sleep(BIND_RETRY_MILLIS);
			}
		}
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/**
	 * The UDP sockets open in a pod (for a failure message).
	 * @param name the pod
	 * @return what {@code ss} lists
	 */
	String udpSockets(String name) {
		return PodTopology.tryRun("nsenter", "--net=" + pod(name).namespacePath(), "ss", "-uanp").output().trim();
	}

	private PodTopology.Pod pod(String name) {
		PodTopology.Pod pod = this.pods.get(name);
		if (pod == null) {
			throw new IllegalArgumentException("probe names unknown pod " + name);
		}
		return pod;
	}

	@Override
	public void close() {
		for (ServerSocket listener : this.listeners) {
			try {
				listener.close();
			}
			catch (IOException ignored) {
				// closing a listener: nothing left to do
			}
		}
		this.listeners.clear();
	}

}
