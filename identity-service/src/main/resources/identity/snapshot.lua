-- Every identity at one revision, atomically.
-- KEYS: by-id, revs, revision, epoch
-- Returns {revision, epoch ('' when none), then id, revision, labelsKey per identity}.
local out = {tonumber(redis.call('GET', KEYS[3]) or '0'), redis.call('GET', KEYS[4]) or ''}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  table.insert(out, tonumber(all[i]))
  table.insert(out, tonumber(redis.call('HGET', KEYS[2], all[i])))
  table.insert(out, all[i + 1])
end
return out
