package io.jcilium.agent.service.watch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.services.ClusterService;

import io.jcilium.agent.policy.ServiceCatalog;
import io.jcilium.agent.service.lb.ServiceName;

/**
 * The services from the informers as the policy's {@code toServices} rules see them: each
 * service's labels and selector, and the addresses of every endpoint of its slices (as
 * upstream's backends of a service, ready or not: a selectorless service's rule allows
 * what the service may route to).
 */
public final class PolicyServiceCatalog implements ServiceCatalog {

	private final SharedIndexInformer<Service> services;

	private final SharedIndexInformer<EndpointSlice> slices;

	private final InformerServiceCache cache;

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	/**
	 * @param services the Service informer
	 * @param slices the EndpointSlice informer
	 * @param cache the index of slices by service over them
	 */
	public PolicyServiceCatalog(SharedIndexInformer<Service> services, SharedIndexInformer<EndpointSlice> slices,
			InformerServiceCache cache) {
		this.services = services;
		this.slices = slices;
		this.cache = cache;
		ResourceEventHandler<Object> changed = new ResourceEventHandler<>() {

			@Override
			public void onAdd(Object object) {
				fire();
			}

			@Override
			public void onUpdate(Object before, Object after) {
				fire();
			}

			@Override
			public void onDelete(Object object, boolean finalStateUnknown) {
				fire();
			}

		};
		services.addEventHandler(changed);
		slices.addEventHandler(changed);
	}

	@Override
	public Collection<ClusterService> services() {
		List<ClusterService> all = new ArrayList<>();
		for (ServiceName name : this.cache.serviceNames()) {
			Service service = this.cache.service(name);
			if (service != null) {
				all.add(of(service, this.cache.slices(name)));
			}
		}
		return all;
	}

	@Override
	public boolean synced() {
		return this.services.hasSynced() && this.slices.hasSynced();
	}

	@Override
	public void onChange(Runnable listener) {
		this.listeners.add(listener);
	}

	private void fire() {
		this.listeners.forEach(Runnable::run);
	}

	/**
	 * One service as policy sees it.
	 * @param service the Service
	 * @param slices its EndpointSlices
	 * @return the service
	 */
	static ClusterService of(Service service, List<EndpointSlice> slices) {
		Map<String, String> labels = service.getMetadata().getLabels();
		Map<String, String> selector = (service.getSpec() != null) ? service.getSpec().getSelector() : null;
		Set<Cidr> backends = new LinkedHashSet<>();
		for (EndpointSlice slice : slices) {
			for (Endpoint endpoint : (slice.getEndpoints() != null) ? slice.getEndpoints() : List.<Endpoint>of()) {
				for (String address : (endpoint.getAddresses() != null) ? endpoint.getAddresses() : List.<String>of()) {
					try {
						backends.add(Cidr.parse(address + (address.contains(":") ? "/128" : "/32")));
					}
					catch (IllegalArgumentException notAnAddress) {
						// FQDN slices carry names, not addresses: nothing a CIDR can
						// allow
					}
				}
			}
		}
		return new ClusterService(service.getMetadata().getNamespace(), service.getMetadata().getName(),
				(labels != null) ? labels : Map.of(), (selector != null) ? selector : Map.of(), List.copyOf(backends));
	}

}
