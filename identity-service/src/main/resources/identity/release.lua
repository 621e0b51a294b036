-- Drops a node's reference to an identity. An identity left without references enters
-- the unreferenced set with a fresh stamp, which the two-pass GC compares.
-- KEYS: by-id, unref, stamp
-- ARGV: id, node, keyPrefix
-- Returns 1 when a reference was dropped, 0 when the node held none, -1 for an unknown id.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return -1
end
local refKey = ARGV[3] .. 'ref:' .. ARGV[1]
local removed = redis.call('SREM', refKey, ARGV[2])
redis.call('SREM', ARGV[3] .. 'node:' .. ARGV[2], ARGV[1])
if removed == 1 and redis.call('SCARD', refKey) == 0 then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
end
return removed
