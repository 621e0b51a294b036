-- Renews a node's lease, using Redis' clock.
-- KEYS: leases, lapsed
-- ARGV: node, leaseTtlMillis
-- Returns 1 when the node had a live lease, 0 when it had none (never had one, it expired, or
-- the store lost its data) or when it expired since the last renewal although an allocation
-- gave the node a new one since (lapsed): the node's references may be gone and it should
-- register them again.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local deadline = redis.call('ZSCORE', KEYS[1], ARGV[1])
local lapsed = redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
if lapsed == 0 and deadline and tonumber(deadline) >= now then
  return 1
end
return 0
