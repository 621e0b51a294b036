-- Claims free blocks for a node until it holds ARGV[2], atomically.
-- KEYS[1] hash block -> node; KEYS[2] hash node -> blocks (space separated, oldest first);
-- KEYS[3] cursor. ARGV: node, wanted, first candidate number, total blocks, candidates...
local node = ARGV[1]
local wanted = tonumber(ARGV[2])
local first = tonumber(ARGV[3])
local total = tonumber(ARGV[4])
local blocks = {}
local held = redis.call('HGET', KEYS[2], node)
if held then
  for block in string.gmatch(held, '%S+') do
    blocks[#blocks + 1] = block
  end
end
local claimed = false
local i = 5
while #blocks < wanted and i <= #ARGV do
  if redis.call('HSETNX', KEYS[1], ARGV[i], node) == 1 then
    blocks[#blocks + 1] = ARGV[i]
    claimed = true
    redis.call('SET', KEYS[3], tostring((first + i - 4) % total))
  end
  i = i + 1
end
if claimed then
  redis.call('HSET', KEYS[2], node, table.concat(blocks, ' '))
end
return blocks
