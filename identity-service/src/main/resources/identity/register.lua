-- Registers again the identities a node holds (after its lease was lost: it expired, or the
-- store lost its data). For each held number and labels: the labels' identity when they have
-- one; else the held number when it is free (it comes back with these labels); else a fresh
-- number, as allocate gives one. The node's reference is recorded and its lease renewed.
-- KEYS: by-labels, by-id, revs, revision, next, free, unref, leases, epoch
-- ARGV: keyPrefix, channel, node, minId, maxId, leaseTtlMillis, then pairs of id, labelsKey
-- Returns per pair {id, created (0/1), revision of the identity}, flattened; {-3} alone when
-- the store has no epoch yet, {-1} alone when the range is full.
if redis.call('EXISTS', KEYS[9]) == 0 then
  return {-3}
end
local prefix, node = ARGV[1], ARGV[3]
local minId, maxId = tonumber(ARGV[4]), tonumber(ARGV[5])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rev = tonumber(redis.call('GET', KEYS[4]) or '0')
local out, changes, ids = {}, {}, {}

local function free(n)
  return n >= minId and n <= maxId and redis.call('HEXISTS', KEYS[2], n) == 0
end

local function fresh()
  local nextId = math.max(tonumber(redis.call('GET', KEYS[5]) or '0'), minId)
  while nextId <= maxId and redis.call('HEXISTS', KEYS[2], nextId) == 1 do
    nextId = nextId + 1
  end
  if nextId <= maxId then
    redis.call('SET', KEYS[5], nextId + 1)
    return nextId
  end
  while true do
    local popped = redis.call('ZPOPMIN', KEYS[6])
    if #popped == 0 then
      return nil
    end
    if free(tonumber(popped[1])) then
      return tonumber(popped[1])
    end
  end
end

for i = 7, #ARGV, 2 do
  local held, labels = tonumber(ARGV[i]), ARGV[i + 1]
  local id = redis.call('HGET', KEYS[1], labels)
  local created = 0
  if id then
    redis.call('ZREM', KEYS[7], id)
    table.insert(out, tonumber(id))
    table.insert(out, 0)
    table.insert(out, tonumber(redis.call('HGET', KEYS[3], id)))
  else
    local n = free(held) and held or fresh()
    if not n then
      return {-1}
    end
    id = tostring(n)
    rev = rev + 1
    redis.call('ZREM', KEYS[6], id)
    redis.call('HSET', KEYS[1], labels, id)
    redis.call('HSET', KEYS[2], id, labels)
    redis.call('HSET', KEYS[3], id, rev)
    local ns = string.match(';' .. labels .. ';', ';k8s:io%.kubernetes%.pod%.namespace=([^;]*);')
    if ns then
      -- counted, never refused: these numbers are in use already
      redis.call('HINCRBY', prefix .. 'ns-identities', ns, 1)
    end
    table.insert(changes, 'U ' .. rev .. ' ' .. id .. ' ' .. labels)
    table.insert(out, n)
    table.insert(out, 1)
    table.insert(out, rev)
  end
  redis.call('SADD', prefix .. 'ref:' .. id, node)
  table.insert(ids, id)
end
if #changes > 0 then
  redis.call('SET', KEYS[4], rev)
  redis.call('PUBLISH', ARGV[2], 'B\n' .. table.concat(changes, '\n'))
end
if #ids > 0 then
  redis.call('SADD', prefix .. 'node:' .. node, unpack(ids))
end
redis.call('ZADD', KEYS[8], now + tonumber(ARGV[6]), node)
return out
