package io.jcilium.agent.service.watch;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import io.jcilium.agent.service.lb.ServiceName;

/**
 * The Service and EndpointSlice informers as {@link ServiceSync.ServiceCache}, with an
 * index of slices by service, and the handlers that mark services dirty.
 */
public final class InformerServiceCache implements ServiceSync.ServiceCache {

	/** The label the EndpointSlice controller sets to the owning service's name. */
	static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

	private static final String BY_SERVICE = "by-service";

	private final SharedIndexInformer<Service> services;

	private final SharedIndexInformer<EndpointSlice> slices;

	/**
	 * Adds the index; call before the informers start.
	 * @param services the Service informer
	 * @param slices the EndpointSlice informer
	 */
	public InformerServiceCache(SharedIndexInformer<Service> services, SharedIndexInformer<EndpointSlice> slices) {
		this.services = services;
		this.slices = slices;
		slices.addIndexers(Map.of(BY_SERVICE, (slice) -> {
			ServiceName owner = owner(slice);
			return (owner != null) ? List.of(owner.toString()) : List.of();
		}));
	}

	@Override
	public Service service(ServiceName name) {
		return this.services.getStore().getByKey(name.toString());
	}

	@Override
	public List<EndpointSlice> slices(ServiceName name) {
		return this.slices.getIndexer().byIndex(BY_SERVICE, name.toString());
	}

	@Override
	public Collection<ServiceName> serviceNames() {
		return this.services.getStore().list().stream().map(InformerServiceCache::nameOf).toList();
	}

	@Override
	public boolean hasSynced() {
		return this.services.hasSynced() && this.slices.hasSynced();
	}

	/**
	 * Hooks the informers to the reconciler.
	 * @param sync the reconciler
	 */
	public void register(ServiceSync sync) {
		this.services.addEventHandler(handler((service) -> sync.changed(nameOf(service))));
		this.slices.addEventHandler(handler((slice) -> {
			ServiceName owner = owner(slice);
			if (owner != null) {
				sync.changed(owner);
			}
		}));
	}

	private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> changed) {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(T object) {
				changed.accept(object);
			}

			@Override
			public void onUpdate(T before, T after) {
				// a slice relabelled to another service changes both
				changed.accept(before);
				changed.accept(after);
			}

			@Override
			public void onDelete(T object, boolean finalStateUnknown) {
				changed.accept(object);
			}

		};
	}

	static ServiceName nameOf(HasMetadata object) {
		return new ServiceName(object.getMetadata().getNamespace(), object.getMetadata().getName());
	}

	static ServiceName owner(EndpointSlice slice) {
		Map<String, String> labels = slice.getMetadata().getLabels();
		String service = (labels != null) ? labels.get(SERVICE_NAME_LABEL) : null;
		return (service != null) ? new ServiceName(slice.getMetadata().getNamespace(), service) : null;
	}

}
