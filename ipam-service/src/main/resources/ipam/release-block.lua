-- Frees one block only if the node holds it. KEYS as in claim-blocks.lua; ARGV: node, block.
local node = ARGV[1]
if redis.call('HGET', KEYS[1], ARGV[2]) ~= node then
  return 0
end
redis.call('HDEL', KEYS[1], ARGV[2])
local kept = {}
local held = redis.call('HGET', KEYS[2], node)
if held then
  for block in string.gmatch(held, '%S+') do
    if block ~= ARGV[2] then
      kept[#kept + 1] = block
    end
  end
end
if #kept == 0 then
  redis.call('HDEL', KEYS[2], node)
else
  redis.call('HSET', KEYS[2], node, table.concat(kept, ' '))
end
return 1
