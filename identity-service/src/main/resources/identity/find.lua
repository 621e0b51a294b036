-- One identity by number (ARGV[1] = id) or by labels (ARGV[2] = labelsKey), atomically.
-- KEYS: by-labels, by-id, revs
-- Returns {id, revision, labelsKey} or an empty list.
local id = ARGV[1]
if id == '' then
  id = redis.call('HGET', KEYS[1], ARGV[2])
  if not id then
    return {}
  end
end
local labels = redis.call('HGET', KEYS[2], id)
if not labels then
  return {}
end
return {tonumber(id), tonumber(redis.call('HGET', KEYS[3], id)), labels}
