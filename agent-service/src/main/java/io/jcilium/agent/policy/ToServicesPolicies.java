package io.jcilium.agent.policy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.common.policy.services.ToServices;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code toServices} rules of the policies in force following the services they
 * select (upstream's policy watcher does the same in {@code pkg/policy/k8s/service.go}):
 * a policy with such a rule is kept as parsed and handed on resolved against the services
 * of the moment; a service change triggers the job {@value #JOB}, which resolves each
 * such policy again and hands on only those whose resolution changed, so the engine
 * touches only the endpoints they select. Policies without {@code toServices} pass
 * straight through. The policies' input is not synced before the services are, so a
 * restarted agent never computes such a rule from half the services.
 */
public final class ToServicesPolicies {

	static final String JOB = "policy-to-services";

	private static final Logger log = LoggerFactory.getLogger(ToServicesPolicies.class);

	private static final Backoff RETRY = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(30));

	private final Supplier<PolicyUpdates> delegate;

	private final ServiceCatalog catalog;

	private final Object lock = new Object();

	/** Guarded by the lock: policies with toServices, as parsed, by key. */
	private final Map<String, PolicyObject> parsed = new HashMap<>();

	/** Guarded by the lock: what was last handed on for each of them. */
	private final Map<String, PolicyObject> handedOn = new HashMap<>();

	private final Job job;

	/**
	 * @param delegate the policy engine's input, looked up at each call
	 * @param catalog the services
	 * @param jobs where the job lives
	 * @param resync how often every policy is resolved again regardless of events
	 */
	public ToServicesPolicies(Supplier<PolicyUpdates> delegate, ServiceCatalog catalog, Jobs jobs, Duration resync) {
		this.delegate = delegate;
		this.catalog = catalog;
		this.job = jobs.periodic(JOB, resync, RETRY, this::refresh);
		catalog.onChange(this.job::trigger);
	}

	/**
	 * The input the policy watcher feeds: this, in front of the engine.
	 * @return the policy updates
	 */
	public PolicyUpdates updates() {
		return new Updates();
	}

	/**
	 * Resolves every policy with {@code toServices} against the services now and hands on
	 * those that changed.
	 * @return how many changed
	 */
	public int refresh() {
		int changed = 0;
		synchronized (this.lock) {
			if (this.parsed.isEmpty()) {
				return 0;
			}
			var services = this.catalog.services();
			for (Map.Entry<String, PolicyObject> entry : this.parsed.entrySet()) {
				PolicyObject resolved = ToServices.resolve(entry.getValue(), services);
				if (!resolved.equals(this.handedOn.get(entry.getKey()))) {
					this.handedOn.put(entry.getKey(), resolved);
					this.delegate.get().upsertPolicy(resolved);
					changed++;
				}
			}
		}
		if (changed > 0) {
			log.info("Services changed: {} policies with toServices resolved again", changed);
		}
		return changed;
	}

	/**
	 * The job that resolves toServices rules again, started with the agent by a
	 * {@code JobLifecycle}.
	 * @return the job
	 */
	public Job job() {
		return this.job;
	}

	private final class Updates implements PolicyUpdates {

		@Override
		public void upsertPolicy(PolicyObject policy) {
			synchronized (ToServicesPolicies.this.lock) {
				if (ToServices.uses(policy)) {
					PolicyObject resolved = ToServices.resolve(policy, ToServicesPolicies.this.catalog.services());
					ToServicesPolicies.this.parsed.put(policy.key(), policy);
					ToServicesPolicies.this.handedOn.put(policy.key(), resolved);
					ToServicesPolicies.this.delegate.get().upsertPolicy(resolved);
				}
				else {
					ToServicesPolicies.this.parsed.remove(policy.key());
					ToServicesPolicies.this.handedOn.remove(policy.key());
					ToServicesPolicies.this.delegate.get().upsertPolicy(policy);
				}
			}
		}

		@Override
		public void removePolicy(String key) {
			synchronized (ToServicesPolicies.this.lock) {
				ToServicesPolicies.this.parsed.remove(key);
				ToServicesPolicies.this.handedOn.remove(key);
				ToServicesPolicies.this.delegate.get().removePolicy(key);
			}
		}

		@Override
		public void upsertIdentity(Identity identity) {
			ToServicesPolicies.this.delegate.get().upsertIdentity(identity);
		}

		@Override
		public void removeIdentity(long id) {
			ToServicesPolicies.this.delegate.get().removeIdentity(id);
		}

		@Override
		public void expectInput(String name, BooleanSupplier synced) {
			ToServicesPolicies.this.delegate.get().expectInput(name, synced);
		}

	}

}
