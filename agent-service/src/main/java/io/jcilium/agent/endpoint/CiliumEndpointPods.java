package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.jcilium.agent.hubble.enrich.RemotePods;
import io.jcilium.agent.k8s.Addresses;
import io.jcilium.agent.k8s.LevelTriggered;
import io.jcilium.api.crd.v2.CiliumEndpoint;
import io.jcilium.api.crd.v2.CiliumNode;

/**
 * Pods by address from every CiliumEndpoint (a CiliumEndpoint is named after its pod, in
 * the pod's namespace), so Hubble names pods of other nodes as upstream does from its
 * ipcache. Level-triggered: each object's addresses replace what it said before; a
 * deleted one takes its addresses along, unless another CiliumEndpoint claims them since.
 */
final class CiliumEndpointPods implements RemotePods {

	private final Map<String, RemotePod> byAddress = new ConcurrentHashMap<>();

	private final Map<String, List<String>> addressesOf = new ConcurrentHashMap<>();

	ResourceEventHandler<CiliumEndpoint> handler() {
		return LevelTriggered.handler(this::apply, this::remove);
	}

	@Override
	public Optional<RemotePod> byAddress(String address) {
		String key = canonical(address);
		return (key != null) ? Optional.ofNullable(this.byAddress.get(key)) : Optional.empty();
	}

	synchronized void apply(CiliumEndpoint endpoint) {
		RemotePod pod = new RemotePod(endpoint.getMetadata().getNamespace(), endpoint.getMetadata().getName());
		List<String> addresses = addresses(endpoint);
		forget(owner(endpoint), pod);
		addresses.forEach((address) -> this.byAddress.put(address, pod));
		this.addressesOf.put(owner(endpoint), addresses);
	}

	synchronized void remove(CiliumEndpoint endpoint) {
		forget(owner(endpoint), new RemotePod(endpoint.getMetadata().getNamespace(), endpoint.getMetadata().getName()));
		this.addressesOf.remove(owner(endpoint));
	}

	private void forget(String owner, RemotePod pod) {
		for (String address : this.addressesOf.getOrDefault(owner, List.of())) {
			this.byAddress.remove(address, pod);
		}
	}

	private static List<String> addresses(CiliumEndpoint endpoint) {
		CiliumEndpoint.Status status = endpoint.getStatus();
		if (status == null || status.networking == null || status.networking.addressing == null) {
			return List.of();
		}
		return status.networking.addressing.stream()
			.flatMap((CiliumNode.AddressPair pair) -> java.util.stream.Stream.of(pair.ipv4, pair.ipv6))
			.map(CiliumEndpointPods::canonical)
			.filter((address) -> address != null)
			.distinct()
			.toList();
	}

	// One spelling per IPv6 address, whichever way the object or the flow writes it
	// (IPv4 has one already).
	private static String canonical(String address) {
		if (address == null || address.isEmpty()) {
			return null;
		}
		if (address.indexOf(':') < 0) {
			return address;
		}
		InetAddress parsed = Addresses.address(address);
		return (parsed != null) ? parsed.getHostAddress() : address;
	}

	private static String owner(CiliumEndpoint endpoint) {
		return endpoint.getMetadata().getNamespace() + "/" + endpoint.getMetadata().getName();
	}

}
