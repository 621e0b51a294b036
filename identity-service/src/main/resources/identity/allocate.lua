-- Allocate-or-get: returns the identity of a label set, creating it with a free number
-- of the range when there is none, then records the node's reference and renews its
-- lease. One script, so concurrent callers for the same labels get the same number and
-- a number never maps to two label sets.
-- KEYS: by-labels, by-id, revs, revision, next, free, unref, leases
-- ARGV: labelsKey, node, minId, maxId, leaseTtlMillis, keyPrefix, channel
-- Returns {id, created (0/1), revision of the identity}, or {-1, 0, 0} when the range is full.
local labels, node = ARGV[1], ARGV[2]
local minId, maxId = tonumber(ARGV[3]), tonumber(ARGV[4])
local prefix = ARGV[6]
local id = redis.call('HGET', KEYS[1], labels)
local created = 0
local rev
if id then
  rev = redis.call('HGET', KEYS[3], id)
  -- Only an existing identity can be waiting for the GC.
  redis.call('ZREM', KEYS[7], id)
else
  -- Fresh numbers first: a freed number then rests as long as possible before it is
  -- reused, which gives caches that missed its deletion the most time to catch up.
  -- INCR takes the next fresh number and moves the counter past it in one call.
  local candidate = nil
  local nextId = redis.call('INCR', KEYS[5]) - 1
  if nextId < minId then
    nextId = minId
    redis.call('SET', KEYS[5], minId + 1)
  end
  while nextId <= maxId and redis.call('HEXISTS', KEYS[2], nextId) == 1 do
    nextId = redis.call('INCR', KEYS[5]) - 1
  end
  if nextId <= maxId then
    candidate = nextId
  else
    -- Oldest freed number first. Numbers outside a since-narrowed range are dropped.
    while true do
      local popped = redis.call('ZPOPMIN', KEYS[6])
      if #popped == 0 then
        break
      end
      local n = tonumber(popped[1])
      if n >= minId and n <= maxId and redis.call('HEXISTS', KEYS[2], n) == 0 then
        candidate = n
        break
      end
    end
  end
  if not candidate then
    return {-1, 0, 0}
  end
  id = tostring(candidate)
  rev = redis.call('INCR', KEYS[4])
  redis.call('HSET', KEYS[1], labels, id)
  redis.call('HSET', KEYS[2], id, labels)
  redis.call('HSET', KEYS[3], id, rev)
  redis.call('PUBLISH', ARGV[7], 'U ' .. rev .. ' ' .. id .. ' ' .. labels)
  created = 1
end
redis.call('SADD', prefix .. 'ref:' .. id, node)
redis.call('SADD', prefix .. 'node:' .. node, id)
-- Lease deadlines use Redis' clock, so replicas with skewed clocks agree.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[8], now + tonumber(ARGV[5]), node)
return {tonumber(id), created, tonumber(rev)}
