-- Claims free blocks for a node until it holds ARGV[2], atomically.
-- KEYS[1] hash block -> node; KEYS[2] hash node -> blocks (space separated, oldest first);
-- KEYS[3] cursor; KEYS[4] (only with a guard) hash pool name -> definition.
-- ARGV: node, wanted, first candidate number, total blocks, guarded pool name ('' for none),
-- its definition, candidates...
-- Returns the cursor afterwards, then the node's blocks; or {'stale'} when the guarded pool's
-- definition is no longer the one the caller carved the candidates from (deleted or changed by
-- another replica): then nothing is claimed, so no block outlives its pool.
if ARGV[5] ~= '' and redis.call('HGET', KEYS[4], ARGV[5]) ~= ARGV[6] then
  return {'stale'}
end
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
local cursor = redis.call('GET', KEYS[3]) or '0'
local claimed = false
local i = 7
while #blocks < wanted and i <= #ARGV do
  if redis.call('HSETNX', KEYS[1], ARGV[i], node) == 1 then
    blocks[#blocks + 1] = ARGV[i]
    claimed = true
    cursor = tostring((first + i - 6) % total)
  end
  i = i + 1
end
if claimed then
  redis.call('HSET', KEYS[2], node, table.concat(blocks, ' '))
  redis.call('SET', KEYS[3], cursor)
end
table.insert(blocks, 1, cursor)
return blocks
