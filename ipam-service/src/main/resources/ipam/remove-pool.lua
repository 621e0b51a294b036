-- Deletes an API-defined pool unless nodes hold blocks of it, atomically with respect to
-- claims (which check the definition in the same script that takes a block).
-- KEYS[1] hash pool name -> definition; KEYS[2], KEYS[3] hash block -> node of the pool's
-- IPv4 and IPv6 blocks; KEYS[4], KEYS[5] their cursors (dropped with the pool, so a pool
-- created again under the name starts afresh). ARGV: name.
-- Returns -1 when no such pool is stored, 0 when deleted, else the number of blocks held.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return -1
end
local held = redis.call('HLEN', KEYS[2]) + redis.call('HLEN', KEYS[3])
if held > 0 then
  return held
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[4], KEYS[5])
redis.call('HINCRBY', KEYS[1], '#version', 1)
return 0
