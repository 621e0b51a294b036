-- Frees every block of a node. KEYS as in claim-blocks.lua; ARGV: node. Returns the blocks.
local node = ARGV[1]
local released = {}
local held = redis.call('HGET', KEYS[2], node)
if not held then
  return released
end
for block in string.gmatch(held, '%S+') do
  if redis.call('HGET', KEYS[1], block) == node then
    redis.call('HDEL', KEYS[1], block)
  end
  released[#released + 1] = block
end
redis.call('HDEL', KEYS[2], node)
return released
