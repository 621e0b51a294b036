-- Drops every reference of the nodes whose lease deadline has passed, and marks them lapsed:
-- their next renewal reports the lease lost, even when an allocation gave them a new lease
-- first. A mark older than a week (a node that never came back) is dropped.
-- KEYS: leases, unref, stamp, lapsed
-- ARGV: keyPrefix
-- Returns the number of references dropped.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local dropped = 0
for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
  local nodeKey = ARGV[1] .. 'node:' .. node
  for _, id in ipairs(redis.call('SMEMBERS', nodeKey)) do
    local refKey = ARGV[1] .. 'ref:' .. id
    if redis.call('SREM', refKey, node) == 1 then
      dropped = dropped + 1
      if redis.call('SCARD', refKey) == 0 then
        redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), id)
      end
    end
  end
  redis.call('DEL', nodeKey)
  redis.call('ZREM', KEYS[1], node)
  redis.call('ZADD', KEYS[4], now, node)
end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - 7 * 24 * 3600 * 1000)
return dropped
