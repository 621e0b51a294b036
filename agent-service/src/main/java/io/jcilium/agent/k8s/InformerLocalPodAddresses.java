package io.jcilium.agent.k8s;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import io.jcilium.agent.endpoint.LocalPodAddresses;

/**
 * The addresses of this node's pods from the pod informer's cache; answers from memory,
 * never from the API server. Every pod object counts, whatever its phase: a pod that
 * finished still names its address until it is deleted, and keeping an address too long
 * is the safe mistake.
 */
final class InformerLocalPodAddresses implements LocalPodAddresses {

	private final BooleanSupplier synced;

	private final Supplier<List<Pod>> localPods;

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	/**
	 * @param synced whether the pod informer has listed once
	 * @param localPods this node's pods in the cache
	 */
	InformerLocalPodAddresses(BooleanSupplier synced, Supplier<List<Pod>> localPods) {
		this.synced = synced;
		this.localPods = localPods;
	}

	@Override
	public boolean synced() {
		return this.synced.getAsBoolean();
	}

	@Override
	public Optional<String> claimant(InetAddress ip) {
		return this.localPods.get()
			.stream()
			.filter((pod) -> addresses(pod).anyMatch(ip::equals))
			.map((pod) -> pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName())
			.findFirst();
	}

	@Override
	public void whenChanged(Runnable listener) {
		this.listeners.add(listener);
	}

	/** Tells the listeners of every change of a local pod. */
	ResourceEventHandler<Pod> handler() {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(Pod pod) {
				changed();
			}

			@Override
			public void onUpdate(Pod before, Pod after) {
				changed();
			}

			@Override
			public void onDelete(Pod pod, boolean finalStateUnknown) {
				changed();
			}

		};
	}

	/** This node's pods changed, or their informer synced. */
	void changed() {
		this.listeners.forEach(Runnable::run);
	}

	private static Stream<InetAddress> addresses(Pod pod) {
		PodStatus status = pod.getStatus();
		if (status == null) {
			return Stream.empty();
		}
		Stream<String> listed = (status.getPodIPs() != null) ? status.getPodIPs().stream().map(PodIP::getIp)
				: Stream.empty();
		return Stream.concat(listed, Stream.ofNullable(status.getPodIP()))
			.map(InformerLocalPodAddresses::parse)
			.flatMap(Optional::stream);
	}

	/** An IP literal, or empty for anything else (no name is ever looked up). */
	private static Optional<InetAddress> parse(String ip) {
		if (ip == null || ip.isBlank()
				|| !ip.chars().allMatch((c) -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
			return Optional.empty();
		}
		try {
			return Optional.of(InetAddress.getByName(ip));
		}
		catch (UnknownHostException ex) {
			return Optional.empty();
		}
	}

}
