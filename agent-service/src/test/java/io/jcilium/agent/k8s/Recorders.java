package io.jcilium.agent.k8s;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

import io.jcilium.agent.ipcache.IpcacheUpdates;
import io.jcilium.agent.endpoint.PodMetadataListener;
import io.jcilium.agent.policy.PolicyUpdates;

/**
 * Recording implementations of the seams the Kubernetes cell feeds, and a poll helper:
 * informers deliver asynchronously, so tests wait for the state they assert on.
 */
public final class Recorders {

	private Recorders() {
	}

	public static void await(Duration timeout, BooleanSupplier condition, Object describe) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("not reached within " + timeout.toSeconds() + " s; state: " + describe);
			}
			try {
				Thread.sleep(25);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while waiting", ex);
			}
		}
	}

	/** Every call, in order, as text, plus the policies now in force. */
	public static final class RecordingPolicyUpdates implements PolicyUpdates {

		final List<String> calls = new ArrayList<>();

		final Map<String, PolicyObject> inForce = new HashMap<>();

		@Override
		public synchronized void upsertPolicy(PolicyObject policy) {
			this.calls.add("upsert " + policy.key());
			this.inForce.put(policy.key(), policy);
		}

		@Override
		public synchronized void removePolicy(String key) {
			this.calls.add("remove " + key);
			this.inForce.remove(key);
		}

		@Override
		public synchronized void upsertIdentity(Identity identity) {
			this.calls.add("identity " + identity);
		}

		@Override
		public synchronized void removeIdentity(long id) {
			this.calls.add("remove identity " + id);
		}

		public synchronized List<String> calls() {
			return List.copyOf(this.calls);
		}

		public synchronized long count(String call) {
			return this.calls.stream().filter(call::equals).count();
		}

		public synchronized PolicyObject inForce(String key) {
			return this.inForce.get(key);
		}

		@Override
		public synchronized String toString() {
			return this.calls.toString();
		}

	}

	/** The ipcache as the cell left it, plus every call. */
	public static final class RecordingIpcache implements IpcacheUpdates {

		final Map<Cidr, String> entries = new HashMap<>();

		final List<String> calls = new ArrayList<>();

		@Override
		public synchronized void upsert(Cidr prefix, long identity, InetAddress tunnelEndpoint) {
			String value = identity + ((tunnelEndpoint != null) ? " via " + tunnelEndpoint.getHostAddress() : "");
			this.entries.put(prefix, value);
			this.calls.add("upsert " + prefix + " " + value);
		}

		@Override
		public synchronized void remove(Cidr prefix) {
			this.entries.remove(prefix);
			this.calls.add("remove " + prefix);
		}

		public synchronized String get(String prefix) {
			return this.entries.get(Cidr.parse(prefix));
		}

		public synchronized boolean has(String prefix) {
			return this.entries.containsKey(Cidr.parse(prefix));
		}

		public synchronized List<String> calls() {
			return List.copyOf(this.calls);
		}

		@Override
		public synchronized String toString() {
			return this.entries + " after " + this.calls;
		}

	}

	/** Which pods were announced, in order. */
	public static final class RecordingPodListener implements PodMetadataListener {

		final List<String> announced = new ArrayList<>();

		@Override
		public synchronized void podMetadataChanged(String namespace, String name) {
			this.announced.add(namespace + "/" + name);
		}

		public synchronized int count(String pod) {
			return (int) this.announced.stream().filter(pod::equals).count();
		}

		@Override
		public synchronized String toString() {
			return this.announced.toString();
		}

	}

}
