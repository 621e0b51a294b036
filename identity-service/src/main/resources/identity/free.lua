-- Frees each given identity that is still unreferenced with the stamp the GC saw on its
-- previous pass (so one referenced and released again in between is not freed), and
-- queues its number for reuse. Keeps the count of identities per namespace.
-- KEYS: by-labels, by-id, revs, revision, free, unref
-- ARGV: keyPrefix, channel, then pairs of id, stamp
-- Returns a flat list of id, revision of the delete, labelsKey per freed identity.
local out = {}
for i = 3, #ARGV, 2 do
  local id, stamp = ARGV[i], tonumber(ARGV[i + 1])
  local current = redis.call('ZSCORE', KEYS[6], id)
  if current and tonumber(current) == stamp and redis.call('SCARD', ARGV[1] .. 'ref:' .. id) == 0 then
    local labels = redis.call('HGET', KEYS[2], id)
    if labels then
      local rev = redis.call('INCR', KEYS[4])
      redis.call('HDEL', KEYS[1], labels)
      redis.call('HDEL', KEYS[2], id)
      redis.call('HDEL', KEYS[3], id)
      local ns = string.match(';' .. labels .. ';', ';k8s:io%.kubernetes%.pod%.namespace=([^;]*);')
      if ns and tonumber(redis.call('HINCRBY', ARGV[1] .. 'ns-identities', ns, -1)) <= 0 then
        redis.call('HDEL', ARGV[1] .. 'ns-identities', ns)
      end
      redis.call('ZADD', KEYS[5], rev, id)
      redis.call('PUBLISH', ARGV[2], 'D ' .. rev .. ' ' .. id .. ' ' .. labels)
      table.insert(out, tonumber(id))
      table.insert(out, rev)
      table.insert(out, labels)
    end
    redis.call('ZREM', KEYS[6], id)
  end
end
return out
