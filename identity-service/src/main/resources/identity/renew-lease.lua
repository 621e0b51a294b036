-- Renews a node's lease, using Redis' clock.
-- KEYS: leases
-- ARGV: node, leaseTtlMillis
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 1
