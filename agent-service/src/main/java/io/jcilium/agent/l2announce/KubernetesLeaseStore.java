package io.jcilium.agent.l2announce;

import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.function.BiConsumer;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The Leases of one namespace on the API server: writes are PUTs carrying the resource
 * version read, so the API server refuses (409) a write over a record that changed; the
 * watch is an informer on the namespace's Leases.
 */
final class KubernetesLeaseStore implements LeaseStore {

	private final KubernetesClient client;

	private final String namespace;

	/**
	 * @param client the Kubernetes client
	 * @param namespace where the Leases live
	 */
	KubernetesLeaseStore(KubernetesClient client, String namespace) {
		this.client = client;
		this.namespace = namespace;
	}

	@Override
	public LeaseRecord get(String name) {
		return record(this.client.leases().inNamespace(this.namespace).withName(name).get());
	}

	@Override
	public LeaseRecord create(String name, LeaseRecord record) {
		try {
			return record(this.client.leases().inNamespace(this.namespace).resource(lease(name, record)).create());
		}
		catch (KubernetesClientException ex) {
			throw conflictOr(ex, name);
		}
	}

	@Override
	public LeaseRecord update(String name, LeaseRecord record) {
		Objects.requireNonNull(record.resourceVersion(), "an update needs the resource version it replaces");
		try {
			return record(this.client.leases().inNamespace(this.namespace).resource(lease(name, record)).update());
		}
		catch (KubernetesClientException ex) {
			throw conflictOr(ex, name);
		}
	}

	@Override
	public AutoCloseable watch(BiConsumer<String, LeaseRecord> onChange) {
		SharedIndexInformer<Lease> informer = this.client.leases()
			.inNamespace(this.namespace)
			.inform(new ResourceEventHandler<>() {

				@Override
				public void onAdd(Lease lease) {
					onChange.accept(lease.getMetadata().getName(), record(lease));
				}

				@Override
				public void onUpdate(Lease before, Lease after) {
					onChange.accept(after.getMetadata().getName(), record(after));
				}

				@Override
				public void onDelete(Lease lease, boolean finalStateUnknown) {
					onChange.accept(lease.getMetadata().getName(), null);
				}

			});
		return informer::close;
	}

	private RuntimeException conflictOr(KubernetesClientException ex, String name) {
		if (ex.getCode() == HttpURLConnection.HTTP_CONFLICT) {
			return new Conflict("Lease " + this.namespace + "/" + name + " was written by another candidate", ex);
		}
		return ex;
	}

	private Lease lease(String name, LeaseRecord record) {
		LeaseSpec spec = new LeaseSpec();
		spec.setHolderIdentity(record.holderIdentity());
		spec.setLeaseDurationSeconds(record.leaseDurationSeconds());
		spec.setAcquireTime(zoned(record.acquireTime()));
		spec.setRenewTime(zoned(record.renewTime()));
		spec.setLeaseTransitions(record.leaseTransitions());
		Lease lease = new Lease();
		lease.setMetadata(new ObjectMetaBuilder().withName(name)
			.withNamespace(this.namespace)
			.withResourceVersion(record.resourceVersion())
			.build());
		lease.setSpec(spec);
		return lease;
	}

	private static LeaseRecord record(Lease lease) {
		if (lease == null) {
			return null;
		}
		LeaseSpec spec = (lease.getSpec() != null) ? lease.getSpec() : new LeaseSpec();
		return new LeaseRecord(spec.getHolderIdentity(), Objects.requireNonNullElse(spec.getLeaseDurationSeconds(), 0),
				instant(spec.getAcquireTime()), instant(spec.getRenewTime()),
				Objects.requireNonNullElse(spec.getLeaseTransitions(), 0), lease.getMetadata().getResourceVersion());
	}

	private static ZonedDateTime zoned(Instant time) {
		return (time != null) ? time.atZone(ZoneOffset.UTC) : null;
	}

	private static Instant instant(ZonedDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

}
