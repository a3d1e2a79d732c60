package io.sluice.faastore;

/**
 * The Lua scripts behind {@link RedisStore}. Each runs atomically, so a reader never sees half a
 * value, an overwrite never leaves the old value's chunks behind, and one connection can be shared
 * by every caller (no MULTI state on the connection).
 */
final class RedisScripts {
  private RedisScripts() {}

  /** KEYS: header, set. ARGV: size, chunk count, ttl ms, chunk base, then the parts. */
  static final String PUT =
      """
      local old = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
      for i = 0, old - 1 do
        local c = ARGV[4] .. i
        redis.call('DEL', c)
        redis.call('SREM', KEYS[2], c)
      end
      redis.call('DEL', KEYS[1])
      local n = tonumber(ARGV[2])
      local ttl = tonumber(ARGV[3])
      if n <= 1 then
        redis.call('HSET', KEYS[1], 's', ARGV[1], 'n', 0, 'd', ARGV[5])
      else
        redis.call('HSET', KEYS[1], 's', ARGV[1], 'n', n)
        for i = 0, n - 1 do
          local c = ARGV[4] .. i
          redis.call('SET', c, ARGV[5 + i], 'PX', ttl)
          redis.call('SADD', KEYS[2], c)
        end
      end
      redis.call('PEXPIRE', KEYS[1], ttl)
      redis.call('SADD', KEYS[2], KEYS[1])
      redis.call('PEXPIRE', KEYS[2], ttl)
      return n
      """;

  /** KEYS: header. ARGV: chunk base. Returns {} when absent, else {size, part...}. */
  static final String GET =
      """
      local h = redis.call('HMGET', KEYS[1], 's', 'n', 'd')
      if not h[1] then return {} end
      local n = tonumber(h[2])
      if n == 0 then return {h[1], h[3]} end
      local out = {h[1]}
      for i = 0, n - 1 do
        local c = redis.call('GET', ARGV[1] .. i)
        if not c then return {} end
        out[i + 2] = c
      end
      return out
      """;

  /** KEYS: header, set. ARGV: chunk base. */
  static final String DELETE =
      """
      local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
      for i = 0, n - 1 do
        local c = ARGV[1] .. i
        redis.call('DEL', c)
        redis.call('SREM', KEYS[2], c)
      end
      redis.call('DEL', KEYS[1])
      redis.call('SREM', KEYS[2], KEYS[1])
      return n
      """;

  /** KEYS: set. */
  static final String DELETE_INSTANCE =
      """
      local members = redis.call('SMEMBERS', KEYS[1])
      for _, k in ipairs(members) do redis.call('DEL', k) end
      redis.call('DEL', KEYS[1])
      return #members
      """;
}
