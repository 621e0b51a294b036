package io.jcilium.operator.k8s;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The operator's informers on the kinds several controllers read (Nodes, CiliumNodes,
 * CiliumEndpoints, Pods): one informer, so one watch and one cache, per kind and cached
 * form, shared by every controller that reads it, as upstream's operator shares its
 * resources between controllers.
 * <p>
 * A controller {@link Source#subscribe subscribes} when it starts leading and closes its
 * {@link Subscription} when it stops. The informer starts with its first subscription and
 * stops with its last, so a replica that does not lead watches nothing, and one
 * controller stopping never stops the informer under another. A closed subscription's
 * handler gets no further event, not even one the informer had already queued for it. A
 * subscription to an informer already running first gets an add for each cached object,
 * as a new informer's first list would give it; that object is the cached (cut) form.
 * <p>
 * Two controllers configured with different {@code apiVersion}s for one kind read two
 * resources, so each gets an informer of its own.
 */
public final class SharedInformers {

	private final KubernetesClient client;

	// Guarded by this: the informers by kind and form, running or not.
	private final Map<String, Shared<?>> sources = new HashMap<>();

	/**
	 * Create the set; no informer runs until its first subscription.
	 * @param client the operator's client
	 */
	public SharedInformers(KubernetesClient client) {
		this.client = client;
	}

	/**
	 * The Nodes, cached as {@link CachedForms#node}: the node lifecycle, identity GC and
	 * node certificates.
	 * @return the shared source
	 */
	public Source<Node> nodes() {
		return source("v1/nodes cut", () -> CachedForms.nodeInformer(this.client));
	}

	/**
	 * The CiliumEndpoints of every namespace, cached as
	 * {@link CachedForms#ciliumEndpoint}: endpoint GC and identity GC.
	 * @param context the CiliumEndpoint resource
	 * @return the shared source
	 */
	public Source<GenericKubernetesResource> ciliumEndpoints(ResourceDefinitionContext context) {
		return source(key(context) + " cut", () -> CachedForms.ciliumEndpointInformer(this.client, context));
	}

	/**
	 * The CiliumNodes, whole: the node lifecycle, multi-pool IPAM and BGP node configs.
	 * @param context the CiliumNode resource
	 * @return the shared source
	 */
	public Source<GenericKubernetesResource> ciliumNodes(ResourceDefinitionContext context) {
		return source(key(context), () -> this.client.genericKubernetesResources(context).runnableInformer(0));
	}

	/**
	 * The Pods of every namespace as generic resources, cached as
	 * {@link CachedForms#pod}: endpoint GC.
	 * @return the shared source
	 */
	public Source<GenericKubernetesResource> pods() {
		return source("v1/pods cut",
				() -> this.client.genericKubernetesResources(CachedForms.PODS)
					.inAnyNamespace()
					.runnableInformer(0)
					.itemStore(new SlimStore<>(CachedForms::pod)));
	}

	/**
	 * How many of the shared informers run now, each with its one watch.
	 * @return the number of running informers
	 */
	public synchronized int running() {
		return (int) this.sources.values().stream().filter(Shared::isRunning).count();
	}

	/**
	 * A source of one controller's own: an informer that only it reads (a kind no other
	 * controller watches), started by its subscription and stopped when that is closed.
	 * @param <T> the kind's type
	 * @param informer creates the (not yet started) informer
	 * @return the source
	 */
	public static <T> Source<T> own(Supplier<SharedIndexInformer<T>> informer) {
		return new Shared<>(informer);
	}

	@SuppressWarnings("unchecked")
	private synchronized <T> Source<T> source(String key, Supplier<SharedIndexInformer<T>> informer) {
		// The key names the kind and its form, so it always maps to the same type.
		return (Source<T>) this.sources.computeIfAbsent(key, (k) -> new Shared<>(informer));
	}

	private static String key(ResourceDefinitionContext context) {
		return context.getGroup() + "/" + context.getVersion() + "/" + context.getPlural();
	}

	/**
	 * An informer that controllers subscribe to.
	 *
	 * @param <T> the kind's type
	 */
	public interface Source<T> {

		/**
		 * Read the cache without handling events.
		 * @return the subscription; close it to stop reading
		 */
		Subscription<T> subscribe();

		/**
		 * Read the cache and get its events.
		 * @param handler gets the events until the subscription is closed
		 * @return the subscription; close it to stop reading
		 */
		Subscription<T> subscribe(ResourceEventHandler<? super T> handler);

	}

	/**
	 * One controller's use of an informer.
	 *
	 * @param <T> the kind's type
	 */
	public interface Subscription<T> extends AutoCloseable {

		/**
		 * Whether the informer's cache holds its first full list.
		 * @return {@code true} once synced
		 */
		boolean hasSynced();

		/**
		 * The cached objects.
		 * @return a snapshot of the cache
		 */
		List<T> list();

		/** Stop getting events; the last subscription to close stops the informer. */
		@Override
		void close();

	}

	private static final class Shared<T> implements Source<T> {

		private final Supplier<SharedIndexInformer<T>> create;

		// Guarded by this: the running informer (a stopped one cannot start again), and
		// how many subscriptions read it.
		private SharedIndexInformer<T> informer;

		private int subscriptions;

		Shared(Supplier<SharedIndexInformer<T>> create) {
			this.create = create;
		}

		synchronized boolean isRunning() {
			return this.informer != null;
		}

		@Override
		public Subscription<T> subscribe() {
			return open(null);
		}

		@Override
		public Subscription<T> subscribe(ResourceEventHandler<? super T> handler) {
			return open(new Gate<>(handler));
		}

		private synchronized Subscription<T> open(Gate<T> gate) {
			boolean first = this.informer == null;
			if (first) {
				this.informer = InformerController.retrying(this.create.get());
			}
			if (gate != null) {
				// Before the first start, as a handler was added before; on a running
				// informer, fabric8 replays its cache to the new handler first.
				this.informer.addEventHandler(gate);
			}
			if (first) {
				this.informer.start();
			}
			this.subscriptions++;
			return new Use(this.informer, gate);
		}

		private synchronized void close(Use use) {
			if (use.gate != null) {
				use.gate.open = false;
				use.informer.removeEventHandler(use.gate);
			}
			this.subscriptions--;
			if (this.subscriptions == 0) {
				this.informer.stop();
				this.informer = null;
			}
		}

		private final class Use implements Subscription<T> {

			private final SharedIndexInformer<T> informer;

			private final Gate<T> gate;

			// Guarded by Shared.this.
			private boolean closed;

			Use(SharedIndexInformer<T> informer, Gate<T> gate) {
				this.informer = informer;
				this.gate = gate;
			}

			@Override
			public boolean hasSynced() {
				return this.informer.hasSynced();
			}

			@Override
			public List<T> list() {
				return this.informer.getStore().list();
			}

			@Override
			public void close() {
				synchronized (Shared.this) {
					if (!this.closed) {
						this.closed = true;
						Shared.this.close(this);
					}
				}
			}

		}

	}

	/**
	 * Passes events on while its subscription is open: fabric8 may still deliver an event
	 * it queued before the handler was removed.
	 */
	private static final class Gate<T> implements ResourceEventHandler<T> {

		private final ResourceEventHandler<? super T> handler;

		private volatile boolean open = true;

		Gate(ResourceEventHandler<? super T> handler) {
			this.handler = handler;
		}

		@Override
		public void onAdd(T obj) {
			if (this.open) {
				this.handler.onAdd(obj);
			}
		}

		@Override
		public void onUpdate(T oldObj, T newObj) {
			if (this.open) {
				this.handler.onUpdate(oldObj, newObj);
			}
		}

		@Override
		public void onDelete(T obj, boolean deletedFinalStateUnknown) {
			if (this.open) {
				this.handler.onDelete(obj, deletedFinalStateUnknown);
			}
		}

		@Override
		public void onNothing() {
			if (this.open) {
				this.handler.onNothing();
			}
		}

	}

}
