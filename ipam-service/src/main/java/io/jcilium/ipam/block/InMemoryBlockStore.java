package io.jcilium.ipam.block;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.jcilium.common.net.Cidr;

/**
 * The in-memory fake of {@link BlockStore}: same semantics as the Redis store, for fast
 * tests of the allocation rules and for running without Redis.
 */
public final class InMemoryBlockStore implements BlockStore {

	private final Map<String, Map<String, String>> ownerByBlock = new HashMap<>();

	private final Map<String, Map<String, List<String>>> blocksByNode = new HashMap<>();

	private final Map<String, Long> cursors = new HashMap<>();

	private final Map<String, String> poolDefinitions = new TreeMap<>();

	private long poolsVersion;

	@Override
	public synchronized Claim claim(String poolKey, String node, int wanted, List<String> candidates, long firstIndex,
			long total, PoolGuard guard) {
		if (guard != null && !guard.definition().equals(this.poolDefinitions.get(guard.pool()))) {
			return Claim.refused();
		}
		Map<String, String> owners = this.ownerByBlock.computeIfAbsent(poolKey, (key) -> new HashMap<>());
		List<String> held = this.blocksByNode.computeIfAbsent(poolKey, (key) -> new HashMap<>())
			.computeIfAbsent(node, (key) -> new ArrayList<>());
		for (int i = 0; i < candidates.size() && held.size() < wanted; i++) {
			if (owners.putIfAbsent(candidates.get(i), node) == null) {
				held.add(candidates.get(i));
				this.cursors.put(poolKey, (firstIndex + i + 1) % total);
			}
		}
		return new Claim(List.copyOf(held), cursor(poolKey));
	}

	@Override
	public synchronized List<String> blocksOf(String poolKey, String node) {
		return List.copyOf(this.blocksByNode.getOrDefault(poolKey, Map.of()).getOrDefault(node, List.of()));
	}

	@Override
	public synchronized long cursor(String poolKey) {
		return this.cursors.getOrDefault(poolKey, 0L);
	}

	@Override
	public synchronized boolean release(String poolKey, String node, String block) {
		Map<String, String> owners = this.ownerByBlock.getOrDefault(poolKey, Map.of());
		if (!node.equals(owners.get(block))) {
			return false;
		}
		owners.remove(block);
		this.blocksByNode.get(poolKey).get(node).remove(block);
		return true;
	}

	@Override
	public synchronized List<String> releaseAll(String poolKey, String node) {
		List<String> held = this.blocksByNode.getOrDefault(poolKey, new HashMap<>()).remove(node);
		if (held == null) {
			return List.of();
		}
		held.forEach((block) -> this.ownerByBlock.get(poolKey).remove(block, node));
		return List.copyOf(held);
	}

	@Override
	public synchronized Set<String> nodes(String poolKey) {
		Set<String> nodes = new HashSet<>();
		this.blocksByNode.getOrDefault(poolKey, Map.of()).forEach((node, blocks) -> {
			if (!blocks.isEmpty()) {
				nodes.add(node);
			}
		});
		return nodes;
	}

	@Override
	public synchronized long inUse(String poolKey) {
		return this.ownerByBlock.getOrDefault(poolKey, Map.of()).size();
	}

	@Override
	public synchronized PoolDefinitions poolDefinitions() {
		return new PoolDefinitions(this.poolsVersion, Map.copyOf(this.poolDefinitions));
	}

	@Override
	public synchronized PutOutcome putPoolDefinition(String pool, String definition, long expectedVersion,
			List<String> poolKeys, List<Integer> maskSizes) {
		if (expectedVersion != this.poolsVersion) {
			return PutOutcome.CONCURRENT_CHANGE;
		}
		for (int family = 0; family < 2; family++) {
			int mask = maskSizes.get(family);
			String held = this.ownerByBlock.getOrDefault(poolKeys.get(family), Map.of())
				.keySet()
				.stream()
				.findAny()
				.orElse(null);
			if (mask != 0 && held != null && Cidr.parseStrict(held).prefixLength() != mask) {
				return PutOutcome.MASK_SIZE_IN_USE;
			}
		}
		this.poolDefinitions.put(pool, definition);
		this.poolsVersion++;
		return PutOutcome.STORED;
	}

	@Override
	public synchronized long removePoolDefinition(String pool, List<String> poolKeys) {
		if (!this.poolDefinitions.containsKey(pool)) {
			return -1;
		}
		long held = poolKeys.stream().mapToLong(this::inUse).sum();
		if (held > 0) {
			return held;
		}
		this.poolDefinitions.remove(pool);
		poolKeys.forEach(this.cursors::remove);
		this.poolsVersion++;
		return 0;
	}

}
