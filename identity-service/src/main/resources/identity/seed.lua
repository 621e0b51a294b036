-- Starts a new epoch of a store that has none (it lost its data, was replaced, or is new),
-- seeded with the identities the calling replica knows, so that numbers agents hold keep their
-- labels and no allocation hands them to other labels. The seeded identities have no references
-- yet: they enter the unreferenced set, and the GC frees them after two passes unless their
-- nodes register them again (which nodes do when their heartbeat reports the lease lost).
-- Does nothing when the store has an epoch already (another replica seeded it).
-- KEYS: epoch, by-labels, by-id, revs, revision, unref, stamp, free, ns-identities (counts per
-- namespace)
-- ARGV: channel, candidateEpoch, then pairs of id, labelsKey
-- Returns {epoch, 1 when this call created it else 0, identities seeded}.
local epoch = redis.call('GET', KEYS[1])
if epoch then
  return {epoch, 0, 0}
end
redis.call('SET', KEYS[1], ARGV[2])
local rev = tonumber(redis.call('GET', KEYS[5]) or '0')
local changes, seeded = {}, 0
for i = 3, #ARGV, 2 do
  local id, labels = ARGV[i], ARGV[i + 1]
  if redis.call('HEXISTS', KEYS[3], id) == 0 and redis.call('HEXISTS', KEYS[2], labels) == 0 then
    rev = rev + 1
    redis.call('HSET', KEYS[2], labels, id)
    redis.call('HSET', KEYS[3], id, labels)
    redis.call('HSET', KEYS[4], id, rev)
    local ns = string.match(';' .. labels .. ';', ';k8s:io%.kubernetes%.pod%.namespace=([^;]*);')
    if ns then
      redis.call('HINCRBY', KEYS[9], ns, 1)
    end
    redis.call('ZREM', KEYS[8], id)
    redis.call('ZADD', KEYS[6], redis.call('INCR', KEYS[7]), id)
    table.insert(changes, 'U ' .. rev .. ' ' .. id .. ' ' .. labels)
    seeded = seeded + 1
  end
end
redis.call('SET', KEYS[5], rev)
if #changes > 0 then
  redis.call('PUBLISH', ARGV[1], 'B\n' .. table.concat(changes, '\n'))
end
return {ARGV[2], 1, seeded}
