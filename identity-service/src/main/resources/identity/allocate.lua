-- Allocate-or-get for a batch of requests: returns the identity of each label set,
-- creating it with a free number of the range when there is none, then records the
-- node's reference and renews its lease. One script, so concurrent callers for the same
-- labels get the same number and a number never maps to two label sets; a batch, so
-- that concurrent allocations share one Redis call.
-- KEYS: by-labels, by-id, revs, revision, next, free, unref, leases
-- ARGV: keyPrefix, channel, then per request: labelsKey, node, minId, maxId, leaseTtlMillis
-- Returns per request {id, created (0/1), revision of the identity}, flattened;
-- {-1, 0, 0} when the range is full.
local prefix = ARGV[1]
local out = {}
-- Lease deadlines use Redis' clock, so replicas with skewed clocks agree.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local renewed = {}

local function allocate(labels, node, minId, maxId)
  local id = redis.call('HGET', KEYS[1], labels)
  if id then
    -- Only an existing identity can be waiting for the GC.
    redis.call('ZREM', KEYS[7], id)
    return id, 0, tonumber(redis.call('HGET', KEYS[3], id))
  end
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
    return nil, 0, 0
  end
  id = tostring(candidate)
  local rev = redis.call('INCR', KEYS[4])
  redis.call('HSET', KEYS[1], labels, id)
  redis.call('HSET', KEYS[2], id, labels)
  redis.call('HSET', KEYS[3], id, rev)
  redis.call('PUBLISH', ARGV[2], 'U ' .. rev .. ' ' .. id .. ' ' .. labels)
  return id, 1, rev
end

for i = 3, #ARGV, 5 do
  local labels, node = ARGV[i], ARGV[i + 1]
  local id, created, rev = allocate(labels, node, tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]))
  if id then
    redis.call('SADD', prefix .. 'ref:' .. id, node)
    redis.call('SADD', prefix .. 'node:' .. node, id)
    local deadline = now + tonumber(ARGV[i + 4])
    if renewed[node] ~= deadline then
      redis.call('ZADD', KEYS[8], deadline, node)
      renewed[node] = deadline
    end
    table.insert(out, tonumber(id))
  else
    table.insert(out, -1)
  end
  table.insert(out, created)
  table.insert(out, rev)
end
return out
