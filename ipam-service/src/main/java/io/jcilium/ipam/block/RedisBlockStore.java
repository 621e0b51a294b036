package io.jcilium.ipam.block;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
	public Claim claim(String poolKey, String node, int wanted, List<String> candidates, long firstIndex, long total) {
		List<String> args = new ArrayList<>(candidates.size() + 4);
		args.add(node);
		args.add(Integer.toString(wanted));
		args.add(Long.toString(firstIndex));
		args.add(Long.toString(total));
		args.addAll(candidates);
		// The script answers the cursor first, then the node's blocks.
		List<String> answer = strings(this.redis.execute(CLAIM, keys(poolKey), args.toArray()));
		return new Claim(answer.subList(1, answer.size()), Long.parseLong(answer.get(0)));
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
