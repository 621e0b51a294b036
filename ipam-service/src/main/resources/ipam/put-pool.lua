-- Stores an API-defined pool's definition, atomically with respect to claims and deletes.
-- KEYS[1] hash pool name -> definition (field '#version' counts changes); KEYS[2], KEYS[3]
-- hash block -> node of the pool's IPv4 and IPv6 blocks.
-- ARGV: name, definition, the '#version' the caller validated against, IPv4 mask size,
-- IPv6 mask size (0: the family has no CIDRs).
-- Returns 1 when stored; -1 when another pool changed since the caller read them (it
-- validates again); -2 when blocks of another size are held in a family (a held /24 would
-- contain free /25 candidates).
local version = redis.call('HGET', KEYS[1], '#version') or '0'
if version ~= ARGV[3] then
  return -1
end
for family = 1, 2 do
  local mask = ARGV[3 + family]
  if mask ~= '0' then
    local held = redis.call('HRANDFIELD', KEYS[1 + family])
    if held and string.match(held, '/(%d+)$') ~= mask then
      return -2
    end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[1], '#version', 1)
return 1
