-- Allocate-or-get for a batch of requests: returns the identity of each label set,
-- creating it with a free number of the range when there is none, then records the
-- node's reference and renews its lease. One script, so concurrent callers for the same
-- labels get the same number and a number never maps to two label sets; a batch, so
-- that concurrent allocations share one Redis call.
-- Each redis.call costs about as much as a small command from a client, so what the
-- batch creates is kept in Lua tables and written at the end with one command per key
-- (one HSET per hash, one ZADD for all leases, one PUBLISH for all changes).
-- KEYS: by-labels, by-id, revs, revision, next, free, unref, leases, epoch
-- ARGV: keyPrefix, channel, maxIdentitiesPerNode (0: no limit), maxIdentitiesPerNamespace (0: no
-- limit), then per request: labelsKey, node, minId, maxId, leaseTtlMillis
-- Returns per request {id, created (0/1), revision of the identity}, flattened;
-- {-1, 0, 0} when the range is full, {-2, 0, 0} when the node already refers to
-- maxIdentitiesPerNode identities and this one would be another (nothing is created then),
-- {-3, 0, 0} for every request when the store has no epoch: it lost its data (or is new) and no
-- replica has yet seeded it with the identities in use, so a fresh number could be one that
-- agents still hold for other labels; {-4, 0, 0} when the labels' namespace already has
-- maxIdentitiesPerNamespace identities and these labels would make another (nothing is created).
-- Identities per namespace are counted in the ns-identities hash (by the namespace label's value),
-- which every script that creates or deletes an identity keeps.
-- Publishes one message for the batch: "B", then one "U revision id labelsKey" line per
-- created identity (versions that only know single-change messages ignore it and catch
-- up through their periodic revision check).
local prefix = ARGV[1]
local maxPerNode = tonumber(ARGV[3])
local maxPerNamespace = tonumber(ARGV[4])
local nsKey = prefix .. 'ns-identities'
local out = {}
if redis.call('EXISTS', KEYS[9]) == 0 then
  for _ = 5, #ARGV, 5 do
    table.insert(out, -3)
    table.insert(out, 0)
    table.insert(out, 0)
  end
  return out
end
-- Lease deadlines use Redis' clock, so replicas with skewed clocks agree.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- Created by this run: labels -> id, id -> revision, numbers taken.
local createdIds, createdRevs, taken = {}, {}, {}
local byLabels, byId, revs, changes = {}, {}, {}, {}
-- Counters read on first use, written back once.
local nextId, rev = nil, nil
local deadlines, nodes, nodeIds = {}, {}, {}
-- Identities per namespace: read on first use, counted up as this run creates them.
local nsCounts, nsChanged = {}, {}

local function namespaceOf(labels)
  return string.match(';' .. labels .. ';', ';k8s:io%.kubernetes%.pod%.namespace=([^;]*);')
end

local function fresh(minId, maxId)
  -- Fresh numbers first: a freed number then rests as long as possible before it is
  -- reused, which gives caches that missed its deletion the most time to catch up.
  if not nextId then
    nextId = tonumber(redis.call('GET', KEYS[5]) or '0')
  end
  if nextId < minId then
    nextId = minId
  end
  while nextId <= maxId and (taken[nextId] or redis.call('HEXISTS', KEYS[2], nextId) == 1) do
    nextId = nextId + 1
  end
  if nextId > maxId then
    return nil
  end
  nextId = nextId + 1
  return nextId - 1
end

local function reused(minId, maxId)
  -- Oldest freed number first. Numbers outside a since-narrowed range are dropped.
  while true do
    local popped = redis.call('ZPOPMIN', KEYS[6])
    if #popped == 0 then
      return nil
    end
    local n = tonumber(popped[1])
    if n >= minId and n <= maxId and not taken[n] and redis.call('HEXISTS', KEYS[2], n) == 0 then
      return n
    end
  end
end

local function allocate(labels, minId, maxId)
  local id = createdIds[labels]
  if id then
    return id, 0, createdRevs[id]
  end
  id = redis.call('HGET', KEYS[1], labels)
  if id then
    -- Only an existing identity can be waiting for the GC.
    redis.call('ZREM', KEYS[7], id)
    return id, 0, tonumber(redis.call('HGET', KEYS[3], id))
  end
  local ns = namespaceOf(labels)
  if ns then
    if not nsCounts[ns] then
      nsCounts[ns] = tonumber(redis.call('HGET', nsKey, ns) or '0')
    end
    if maxPerNamespace > 0 and nsCounts[ns] >= maxPerNamespace then
      return nil, -4, 0
    end
  end
  local candidate = fresh(minId, maxId) or reused(minId, maxId)
  if not candidate then
    return nil, 0, 0
  end
  if ns then
    nsCounts[ns] = nsCounts[ns] + 1
    nsChanged[ns] = true
  end
  taken[candidate] = true
  id = tostring(candidate)
  if not rev then
    rev = tonumber(redis.call('GET', KEYS[4]) or '0')
  end
  rev = rev + 1
  createdIds[labels] = id
  createdRevs[id] = rev
  table.insert(byLabels, labels)
  table.insert(byLabels, id)
  table.insert(byId, id)
  table.insert(byId, labels)
  table.insert(revs, id)
  table.insert(revs, rev)
  table.insert(changes, 'U ' .. rev .. ' ' .. id .. ' ' .. labels)
  return id, 1, rev
end

-- Per node: identities it refers to (Redis' count plus those this batch adds), and the
-- ids this batch found or gave it.
local counts, held = {}, {}

local function refers(node, id)
  return held[node][id] or redis.call('SISMEMBER', prefix .. 'node:' .. node, id) == 1
end

-- Whether the node may refer to the labels' identity: always when it does already.
local function admits(node, labels)
  if maxPerNode <= 0 then
    return true
  end
  held[node] = held[node] or {}
  local id = createdIds[labels] or redis.call('HGET', KEYS[1], labels)
  if id and refers(node, id) then
    return true
  end
  if not counts[node] then
    counts[node] = redis.call('SCARD', prefix .. 'node:' .. node)
  end
  return counts[node] < maxPerNode
end

local function note(node, id)
  if maxPerNode > 0 and not refers(node, id) then
    counts[node] = counts[node] + 1
    held[node][id] = true
  end
end

for i = 5, #ARGV, 5 do
  local labels, node = ARGV[i], ARGV[i + 1]
  local admitted = admits(node, labels)
  local id, created, idRev = nil, 0, 0
  if admitted then
    id, created, idRev = allocate(labels, tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]))
  end
  if id then
    note(node, id)
    redis.call('SADD', prefix .. 'ref:' .. id, node)
    if not nodeIds[node] then
      nodeIds[node] = {}
      table.insert(nodes, node)
    end
    table.insert(nodeIds[node], id)
    -- The last request of a node sets its deadline, as if each renewed it in turn.
    deadlines[node] = now + tonumber(ARGV[i + 4])
    table.insert(out, tonumber(id))
  elseif not admitted then
    table.insert(out, -2)
  elseif created == -4 then
    table.insert(out, -4)
  else
    table.insert(out, -1)
  end
  table.insert(out, math.max(created, 0))
  table.insert(out, idRev)
end

if #changes > 0 then
  redis.call('HSET', KEYS[1], unpack(byLabels))
  redis.call('HSET', KEYS[2], unpack(byId))
  redis.call('HSET', KEYS[3], unpack(revs))
  redis.call('SET', KEYS[4], rev)
  redis.call('PUBLISH', ARGV[2], 'B\n' .. table.concat(changes, '\n'))
end
if nextId then
  redis.call('SET', KEYS[5], nextId)
end
for ns in pairs(nsChanged) do
  redis.call('HSET', nsKey, ns, nsCounts[ns])
end
if #nodes > 0 then
  local leases = {}
  for _, node in ipairs(nodes) do
    redis.call('SADD', prefix .. 'node:' .. node, unpack(nodeIds[node]))
    table.insert(leases, deadlines[node])
    table.insert(leases, node)
  end
  redis.call('ZADD', KEYS[8], unpack(leases))
end
return out
