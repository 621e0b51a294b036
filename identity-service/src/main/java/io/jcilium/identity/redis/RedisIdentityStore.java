package io.jcilium.identity.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.jcilium.identity.allocation.Futures;
import io.jcilium.identity.allocation.IdRange;
import io.jcilium.identity.allocation.IdentityRangeExhaustedException;
import io.jcilium.identity.allocation.NamespaceIdentityBudgetException;
import io.jcilium.identity.allocation.NodeIdentityLimitException;
import io.jcilium.identity.allocation.IdentityStore;
import io.jcilium.identity.allocation.StoreEpochMissingException;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The identity table in Redis. Each operation that touches more than one key is a Lua
 * script from {@code identity/*.lua}, so it is atomic across replicas; changes are
 * published on a channel that every replica follows.
 */
public final class RedisIdentityStore implements IdentityStore {

	private final StringRedisTemplate redis;

	private final RedisChangeFeed changeFeed;

	private final RedisKeys keys;

	private final RedisScript<Long> release = script("release", Long.class);

	private final RedisScript<Long> renewLease = script("renew-lease", Long.class);

	private final RedisScript<Long> expireLeases = script("expire-leases", Long.class);

	private final RedisScript<List<Object>> free = script("free");

	private final RedisScript<List<Object>> snapshot = script("snapshot");

	private final RedisScript<List<Object>> find = script("find");

	private final RedisScript<Long> gcTurn = script("gc-turn", Long.class);

	private final RedisScript<List<Object>> seed = script("seed");

	private final RedisScript<List<Object>> register = script("register");

	private final AllocationBatches allocations;

	private final int maxIdentitiesPerNode;

	private final int maxIdentitiesPerNamespace;

	private final List<String> freeKeys;

	RedisIdentityStore(StringRedisTemplate redis, RedisChangeFeed changeFeed, RedisKeys keys) {
		this(redis, changeFeed, keys, 0, 0, ReplicaAcks.NONE);
	}

	/**
	 * @param maxIdentitiesPerNode most identities one node may refer to; 0 for no limit.
	 * Checked by the allocate script, so concurrent allocations for a node never exceed
	 * it
	 * @param maxIdentitiesPerNamespace most identities whose labels name one namespace; 0
	 * for no limit. Checked by the allocate script like the node limit
	 * @param replicaAcks replicas that must hold an allocation before it is answered
	 */
	RedisIdentityStore(StringRedisTemplate redis, RedisChangeFeed changeFeed, RedisKeys keys, int maxIdentitiesPerNode,
			int maxIdentitiesPerNamespace, ReplicaAcks replicaAcks) {
		this.redis = redis;
		this.maxIdentitiesPerNode = maxIdentitiesPerNode;
		this.maxIdentitiesPerNamespace = maxIdentitiesPerNamespace;
		this.changeFeed = changeFeed;
		this.keys = keys;
		this.allocations = new AllocationBatches(
				new AsyncLuaScript(redis.getRequiredConnectionFactory(), text("allocate"), replicaAcks),
				AsyncLuaScript.bytes(keys.byLabels(), keys.byId(), keys.revisions(), keys.revision(), keys.next(),
						keys.free(), keys.unreferenced(), keys.leases(), keys.epoch()),
				keys.prefix(), keys.channel(), Integer.toString(maxIdentitiesPerNode),
				Integer.toString(maxIdentitiesPerNamespace));
		this.freeKeys = List.of(keys.byLabels(), keys.byId(), keys.revisions(), keys.revision(), keys.free(),
				keys.unreferenced());
	}

	@Override
	public StoredAllocation allocate(String labelsKey, String node, IdRange range, Duration leaseTtl) {
		return Futures.join(allocateAsync(labelsKey, node, range, leaseTtl));
	}

	@Override
	public CompletableFuture<StoredAllocation> allocateAsync(String labelsKey, String node, IdRange range,
			Duration leaseTtl) {
		// The hot path: no thread waits for Redis, the reply completes the future on
		// Lettuce's event loop.
		return this.allocations
			.submit(labelsKey, node, Integer.toString(range.min()), Integer.toString(range.max()),
					Long.toString(leaseTtl.toMillis()))
			.thenApply((result) -> {
				long id = number(result.get(0));
				if (id == -3) {
					throw new StoreEpochMissingException("allocation");
				}
				if (id == -2) {
					throw new NodeIdentityLimitException(node, this.maxIdentitiesPerNode);
				}
				if (id == -4) {
					throw new NamespaceIdentityBudgetException(labelsKey, this.maxIdentitiesPerNamespace);
				}
				if (id < 0) {
					throw new IdentityRangeExhaustedException(range);
				}
				return new StoredAllocation(new StoredIdentity((int) id, labelsKey, number(result.get(2))),
						number(result.get(1)) == 1);
			});
	}

	@Override
	public ReleaseOutcome release(int id, String node) {
		Long result = this.redis.execute(this.release,
				List.of(this.keys.byId(), this.keys.unreferenced(), this.keys.stamp()), Integer.toString(id), node,
				this.keys.prefix());
		if (result == null || result < 0) {
			return ReleaseOutcome.UNKNOWN_IDENTITY;
		}
		return (result == 1) ? ReleaseOutcome.RELEASED : ReleaseOutcome.NOT_REFERENCED;
	}

	@Override
	public boolean renewLease(String node, Duration leaseTtl) {
		Long live = this.redis.execute(this.renewLease, List.of(this.keys.leases(), this.keys.lapsedLeases()), node,
				Long.toString(leaseTtl.toMillis()));
		return live != null && live == 1;
	}

	@Override
	public List<StoredAllocation> register(List<StoredIdentity> held, String node, IdRange range, Duration leaseTtl) {
		if (this.maxIdentitiesPerNode > 0 && held.size() > this.maxIdentitiesPerNode) {
			throw new NodeIdentityLimitException(node, this.maxIdentitiesPerNode);
		}
		List<String> args = new ArrayList<>(List.of(this.keys.prefix(), this.keys.channel(), node,
				Integer.toString(range.min()), Integer.toString(range.max()), Long.toString(leaseTtl.toMillis())));
		held.forEach((identity) -> {
			args.add(Integer.toString(identity.id()));
			args.add(identity.labelsKey());
		});
		List<Object> result = this.redis.execute(this.register,
				List.of(this.keys.byLabels(), this.keys.byId(), this.keys.revisions(), this.keys.revision(),
						this.keys.next(), this.keys.free(), this.keys.unreferenced(), this.keys.leases(),
						this.keys.epoch()),
				args.toArray());
		if (result.size() == 1 && number(result.get(0)) == -3) {
			throw new StoreEpochMissingException("registering the identities of node " + node);
		}
		if (result.size() == 1 && number(result.get(0)) == -1) {
			throw new IdentityRangeExhaustedException(range);
		}
		List<StoredAllocation> registered = new ArrayList<>(held.size());
		for (int i = 0; i + 2 < result.size(); i += 3) {
			StoredIdentity identity = new StoredIdentity((int) number(result.get(i)), held.get(i / 3).labelsKey(),
					number(result.get(i + 2)));
			registered.add(new StoredAllocation(identity, number(result.get(i + 1)) == 1));
		}
		return registered;
	}

	@Override
	public Optional<String> epoch() {
		return Optional.ofNullable(this.redis.opsForValue().get(this.keys.epoch()));
	}

	@Override
	public String seed(String candidateEpoch, List<StoredIdentity> known) {
		List<String> args = new ArrayList<>(2 + 2 * known.size());
		args.add(this.keys.channel());
		args.add(candidateEpoch);
		known.forEach((identity) -> {
			args.add(Integer.toString(identity.id()));
			args.add(identity.labelsKey());
		});
		List<Object> result = this.redis.execute(this.seed,
				List.of(this.keys.epoch(), this.keys.byLabels(), this.keys.byId(), this.keys.revisions(),
						this.keys.revision(), this.keys.unreferenced(), this.keys.stamp(), this.keys.free(),
						this.keys.namespaceIdentities()),
				args.toArray());
		return (String) result.get(0);
	}

	@Override
	public Optional<StoredIdentity> find(int id) {
		return toIdentity(this.redis.execute(this.find, findKeys(), Integer.toString(id), ""));
	}

	@Override
	public Optional<StoredIdentity> findByLabels(String labelsKey) {
		return toIdentity(this.redis.execute(this.find, findKeys(), "", labelsKey));
	}

	@Override
	public StoreSnapshot snapshot() {
		List<Object> result = this.redis.execute(this.snapshot,
				List.of(this.keys.byId(), this.keys.revisions(), this.keys.revision(), this.keys.epoch()));
		List<StoredIdentity> identities = new ArrayList<>(result.size() / 3);
		for (int i = 2; i + 2 < result.size(); i += 3) {
			identities.add(new StoredIdentity((int) number(result.get(i)), (String) result.get(i + 2),
					number(result.get(i + 1))));
		}
		return new StoreSnapshot(number(result.get(0)), (String) result.get(1), identities);
	}

	@Override
	public long revision() {
		String revision = this.redis.opsForValue().get(this.keys.revision());
		return (revision != null) ? Long.parseLong(revision) : 0;
	}

	@Override
	public int expireLeases() {
		Long dropped = this.redis.execute(this.expireLeases,
				List.of(this.keys.leases(), this.keys.unreferenced(), this.keys.stamp(), this.keys.lapsedLeases()),
				this.keys.prefix());
		return (dropped != null) ? dropped.intValue() : 0;
	}

	@Override
	public Map<Integer, Long> unreferencedIds() {
		Set<TypedTuple<String>> tuples = this.redis.opsForZSet().rangeWithScores(this.keys.unreferenced(), 0, -1);
		Map<Integer, Long> stamped = new HashMap<>();
		if (tuples != null) {
			tuples.forEach((tuple) -> stamped.put(Integer.valueOf(tuple.getValue()), tuple.getScore().longValue()));
		}
		return stamped;
	}

	@Override
	public List<IdentityChange> freeIfUnreferenced(Map<Integer, Long> stampedIds) {
		List<String> args = new ArrayList<>(2 + 2 * stampedIds.size());
		args.add(this.keys.prefix());
		args.add(this.keys.channel());
		stampedIds.forEach((id, stamp) -> {
			args.add(Integer.toString(id));
			args.add(Long.toString(stamp));
		});
		List<Object> result = this.redis.execute(this.free, this.freeKeys, args.toArray());
		List<IdentityChange> freed = new ArrayList<>(result.size() / 3);
		for (int i = 0; i + 2 < result.size(); i += 3) {
			freed.add(new IdentityChange(IdentityChange.Kind.DELETE, new StoredIdentity((int) number(result.get(i)),
					(String) result.get(i + 2), number(result.get(i + 1)))));
		}
		return freed;
	}

	@Override
	public boolean tryAcquireGcTurn(String owner, Duration turn) {
		Long taken = this.redis.execute(this.gcTurn, List.of(this.keys.gcTurn()), owner,
				Long.toString(turn.toMillis()));
		return taken != null && taken == 1;
	}

	@Override
	public void addChangeListener(Consumer<IdentityChange> listener) {
		this.changeFeed.addListener(listener);
	}

	private List<String> findKeys() {
		return List.of(this.keys.byLabels(), this.keys.byId(), this.keys.revisions());
	}

	private static Optional<StoredIdentity> toIdentity(List<Object> result) {
		if (result == null || result.isEmpty()) {
			return Optional.empty();
		}
		return Optional
			.of(new StoredIdentity((int) number(result.get(0)), (String) result.get(2), number(result.get(1))));
	}

	private static long number(Object value) {
		return ((Number) value).longValue();
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static RedisScript<List<Object>> script(String name) {
		return (RedisScript) script(name, List.class);
	}

	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		// From text, not from the resource: a script from a resource checks the
		// resource's modification time on every call, which inside a jar costs more
		// than the Redis round trip.
		return new DefaultRedisScript<>(text(name), resultType);
	}

	private static String text(String name) {
		try {
			return new ClassPathResource("identity/" + name + ".lua").getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the Lua script identity/" + name + ".lua", ex);
		}
	}

}
