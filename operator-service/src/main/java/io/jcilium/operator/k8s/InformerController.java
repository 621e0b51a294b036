package io.jcilium.operator.k8s;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.operator.election.LeaderTask;
import io.jcilium.operator.k8s.SharedInformers.Source;
import io.jcilium.operator.k8s.SharedInformers.Subscription;

/**
 * A leader-only controller built from two informers feeding one {@link ReconcileLoop},
 * the wiring every operator controller shares: their events trigger passes, and each pass
 * hands both informer caches to the controller's reconcile step once both have synced (an
 * unsynced cache would look like deleted objects, so the pass fails and is retried with
 * backoff instead). Subclasses only say what they watch and how they reconcile.
 *
 * @param <A> the first watched kind
 * @param <B> the second watched kind
 */
public abstract class InformerController<A, B> implements LeaderTask {

	private final String name;

	private final Watch<A> first;

	private final Watch<B> second;

	private final BiConsumer<List<A>, List<B>> reconcile;

	private final ReconcileLoop loop;

	private Subscription<A> firstSubscription;

	private Subscription<B> secondSubscription;

	/**
	 * Create the controller; nothing is watched until {@link #startLeading()}.
	 * @param name the task's name, for logs
	 * @param loopName the reconcile job's name (thread name and logs)
	 * @param resync how often to run a pass without events
	 * @param first the first kind to watch
	 * @param second the second kind to watch
	 * @param reconcile one pass over both caches
	 */
	protected InformerController(String name, String loopName, Duration resync, Watch<A> first, Watch<B> second,
			BiConsumer<List<A>, List<B>> reconcile) {
		this.name = name;
		this.first = first;
		this.second = second;
		this.reconcile = reconcile;
		this.loop = new ReconcileLoop(loopName, this::pass, resync);
	}

	@Override
	public final String name() {
		return this.name;
	}

	@Override
	public final synchronized void startLeading() {
		if (this.firstSubscription != null) {
			return;
		}
		this.firstSubscription = this.first.open(this.loop);
		this.secondSubscription = this.second.open(this.loop);
		this.loop.start();
	}

	@Override
	public final synchronized void stopLeading() {
		this.loop.stop();
		if (this.firstSubscription != null) {
			// A shared informer keeps running while another controller reads it.
			this.firstSubscription.close();
			this.secondSubscription.close();
			this.firstSubscription = null;
			this.secondSubscription = null;
		}
	}

	public final synchronized boolean isRunning() {
		return this.firstSubscription != null;
	}

	public final ReconcileLoop loop() {
		return this.loop;
	}

	private void pass() {
		Subscription<A> a;
		Subscription<B> b;
		synchronized (this) {
			a = this.firstSubscription;
			b = this.secondSubscription;
		}
		if (a == null) {
			return;
		}
		if (!a.hasSynced() || !b.hasSynced()) {
			throw new IllegalStateException(
					"waiting for the " + this.first.kind() + " and " + this.second.kind() + " informers to sync");
		}
		this.reconcile.accept(a.list(), b.list());
	}

	/**
	 * Makes an informer keep trying when its first list fails (an API server still
	 * starting, a timeout under load), as client-go's reflector does, instead of
	 * fabric8's default of stopping for good; only an object it cannot read at all stops
	 * it.
	 * @param <T> the kind's type
	 * @param informer a not yet started informer
	 * @return the informer
	 */
	public static <T> SharedIndexInformer<T> retrying(SharedIndexInformer<T> informer) {
		return informer.exceptionHandler((started, failure) -> !ExceptionHandler.isDeserializationException(failure));
	}

	/**
	 * The context of a cluster-scoped or namespaced custom resource.
	 * @param apiVersion e.g. {@code cilium.io/v2}
	 * @param kind e.g. {@code CiliumNode}
	 * @param plural e.g. {@code ciliumnodes}
	 * @param namespaced whether the resource lives in namespaces
	 * @return the context for generic resource calls
	 */
	public static ResourceDefinitionContext customResource(String apiVersion, String kind, String plural,
			boolean namespaced) {
		String[] groupVersion = apiVersion.split("/", 2);
		return new ResourceDefinitionContext.Builder().withGroup(groupVersion[0])
			.withVersion(groupVersion[1])
			.withKind(kind)
			.withPlural(plural)
			.withNamespaced(namespaced)
			.build();
	}

	/**
	 * Which of an informer's events ask for a pass.
	 */
	public enum Trigger {

		/** Every add, update and delete. */
		ANY_CHANGE,

		/** Deletions only (e.g. only a deleted pod can orphan an endpoint). */
		DELETE,

		/** None: the cache is only read by the pass. */
		NONE

	}

	/**
	 * One watched kind.
	 *
	 * @param <T> the kind's type
	 * @param kind the kind's name, for the not-yet-synced message
	 * @param source the informer, shared ({@link SharedInformers}) or the controller's
	 * own ({@link SharedInformers#own})
	 * @param trigger which events ask for a pass
	 */
	public record Watch<T>(String kind, Source<T> source, Trigger trigger) {

		private Subscription<T> open(ReconcileLoop loop) {
			if (this.trigger == Trigger.NONE) {
				return this.source.subscribe();
			}
			return this.source.subscribe(new TriggerHandler<>(loop, this.trigger));
		}

	}

	private record TriggerHandler<T>(ReconcileLoop loop, Trigger trigger) implements ResourceEventHandler<T> {

		@Override
		public void onAdd(T obj) {
			if (this.trigger == Trigger.ANY_CHANGE) {
				this.loop.trigger();
			}
		}

		@Override
		public void onUpdate(T oldObj, T newObj) {
			if (this.trigger == Trigger.ANY_CHANGE) {
				this.loop.trigger();
			}
		}

		@Override
		public void onDelete(T obj, boolean deletedFinalStateUnknown) {
			this.loop.trigger();
		}

	}

}
