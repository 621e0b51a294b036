package io.jcilium.ipam.block;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link BlockStore} in Redis. Per pool key three keys share one hash tag, so the scripts
 * stay valid on Redis Cluster: {@code <prefix>{<poolKey>}:blocks} (block to node),
 * {@code :nodes} (node to its blocks) and {@code :cursor}. Every write is a Lua script,
 * which Redis runs atomically: two replicas claiming for different nodes can never get
 * the same block, and two claims for one node cannot both add a block.
 * <p>
 * API-defined pools live in the hash {@code <prefix>pools} (name to definition, and a
 * {@code #version} field that every change increments). A guarded claim, a pool's
 * deletion and its redefinition each touch that hash and the pool's block hashes in one
 * script. On Redis Cluster those keys need one hash slot: a prefix with a hash tag, e.g.
 * {@code {jcilium:ipam}:}, puts every key there (the first tag in a key wins, so the pool
 * keys' own tags then change nothing).
 */
public final class RedisBlockStore implements BlockStore {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> CLAIM = RedisScript.of(new ClassPathResource("ipam/claim-blocks.lua"),
			List.class);

	private static final RedisScript<Long> RELEASE = RedisScript.of(new ClassPathResource("ipam/release-block.lua"),
			Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> RELEASE_NODE = RedisScript.of(new ClassPathResource("ipam/release-node.lua"),
			List.class);

	private static final RedisScript<Long> PUT_POOL = RedisScript.of(new ClassPathResource("ipam/put-pool.lua"),
			Long.class);

	private static final RedisScript<Long> REMOVE_POOL = RedisScript.of(new ClassPathResource("ipam/remove-pool.lua"),
			Long.class);

	/** The version field of the pools hash; pool names cannot contain '#'. */
	private static final String VERSION_FIELD = "#version";

	private final StringRedisTemplate redis;

	private final String prefix;

	/**
	 * @param redis the template; nothing is sent before the first call
	 * @param prefix key prefix, e.g. {@code jcilium:ipam:}
	 */
	public RedisBlockStore(StringRedisTemplate redis, String prefix) {
		this.redis = redis;
		this.prefix = prefix;
	}

	@Override
	public Claim claim(String poolKey, String node, int wanted, List<String> candidates, long firstIndex, long total,
			PoolGuard guard) {
		List<String> args = new ArrayList<>(candidates.size() + 6);
		args.add(node);
		args.add(Integer.toString(wanted));
		args.add(Long.toString(firstIndex));
		args.add(Long.toString(total));
		args.add((guard != null) ? guard.pool() : "");
		args.add((guard != null) ? guard.definition() : "");
		args.addAll(candidates);
		List<String> keys = new ArrayList<>(keys(poolKey));
		if (guard != null) {
			keys.add(poolsKey());
		}
		// The script answers the cursor first, then the node's blocks; or 'stale' alone.
		List<String> answer = strings(this.redis.execute(CLAIM, keys, args.toArray()));
		if (answer.size() == 1 && "stale".equals(answer.get(0))) {
			return Claim.refused();
		}
		return new Claim(answer.subList(1, answer.size()), Long.parseLong(answer.get(0)));
	}

	@Override
	public PoolDefinitions poolDefinitions() {
		Map<String, String> definitions = new TreeMap<>(this.redis.<String, String>opsForHash().entries(poolsKey()));
		String version = definitions.remove(VERSION_FIELD);
		return new PoolDefinitions((version != null) ? Long.parseLong(version) : 0, definitions);
	}

	@Override
	public PutOutcome putPoolDefinition(String pool, String definition, long expectedVersion, List<String> poolKeys,
			List<Integer> maskSizes) {
		List<String> keys = List.of(poolsKey(), key(poolKeys.get(0), "blocks"), key(poolKeys.get(1), "blocks"));
		Long outcome = this.redis.execute(PUT_POOL, keys, pool, definition, Long.toString(expectedVersion),
				maskSizes.get(0).toString(), maskSizes.get(1).toString());
		if (outcome == null || outcome == -1L) {
			return PutOutcome.CONCURRENT_CHANGE;
		}
		return (outcome == -2L) ? PutOutcome.MASK_SIZE_IN_USE : PutOutcome.STORED;
	}

	@Override
	public long removePoolDefinition(String pool, List<String> poolKeys) {
		List<String> keys = List.of(poolsKey(), key(poolKeys.get(0), "blocks"), key(poolKeys.get(1), "blocks"),
				key(poolKeys.get(0), "cursor"), key(poolKeys.get(1), "cursor"));
		Long outcome = this.redis.execute(REMOVE_POOL, keys, pool);
		return (outcome != null) ? outcome : -1;
	}

	/** Whether a key prefix carries a Redis Cluster hash tag: a non-empty {...}. */
	public static boolean hasHashTag(String prefix) {
		int open = prefix.indexOf('{');
		int close = (open >= 0) ? prefix.indexOf('}', open + 1) : -1;
		return close > open + 1;
	}

	private String poolsKey() {
		return this.prefix + "pools";
	}

	@Override
	public List<String> blocksOf(String poolKey, String node) {
		Object held = this.redis.opsForHash().get(key(poolKey, "nodes"), node);
		return (held == null) ? List.of() : List.of(held.toString().split(" "));
	}

	@Override
	public long cursor(String poolKey) {
		String cursor = this.redis.opsForValue().get(key(poolKey, "cursor"));
		return (cursor == null) ? 0 : Long.parseLong(cursor);
	}

	@Override
	public boolean release(String poolKey, String node, String block) {
		Long released = this.redis.execute(RELEASE, keys(poolKey), node, block);
		return released != null && released == 1L;
	}

	@Override
	public List<String> releaseAll(String poolKey, String node) {
		return strings(this.redis.execute(RELEASE_NODE, keys(poolKey), node));
	}

	@Override
	public Set<String> nodes(String poolKey) {
		// The scripts drop a node's field with its last block, so every key is a holder.
		return this.redis.<String, String>opsForHash()
			.keys(key(poolKey, "nodes"))
			.stream()
			.collect(Collectors.toUnmodifiableSet());
	}

	@Override
	public long inUse(String poolKey) {
		return this.redis.opsForHash().size(key(poolKey, "blocks"));
	}

	private List<String> keys(String poolKey) {
		return List.of(key(poolKey, "blocks"), key(poolKey, "nodes"), key(poolKey, "cursor"));
	}

	private String key(String poolKey, String part) {
		return this.prefix + "{" + poolKey + "}:" + part;
	}

	private static List<String> strings(List<?> values) {
		if (values == null) {
			return List.of();
		}
		return values.stream().map(Object::toString).toList();
	}

}
