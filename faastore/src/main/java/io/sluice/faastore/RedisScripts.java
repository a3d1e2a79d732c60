package io.sluice.faastore;

/**
 * The small Lua scripts behind {@link RedisStore}: the header commit, delete and deleteInstance.
 * Chunk bytes never pass through Lua (plain pipelined SET/GET carry them, far faster); each put
 * writes its chunks under a fresh generation and the commit swaps the header to it atomically, so a
 * reader never sees half a value and an overwrite never leaves the old value's chunks behind.
 */
final class RedisScripts {
  private RedisScripts() {}

  /**
   * Commits a value whose chunks (if any) were already written with plain SETs under generation
   * GEN: drops the previous generation's chunks, writes the header and lists the keys. KEYS:
   * header, set. ARGV: size, chunk count (0 = the bytes are ARGV[6], in the header), ttl ms, chunk
   * base, generation, [bytes].
   */
  static final String COMMIT =
      """
      local old = redis.call('HMGET', KEYS[1], 'n', 'g')
      local oldn = tonumber(old[1] or '0')
      for i = 0, oldn - 1 do
        local c = ARGV[4] .. old[2] .. ':' .. i
        redis.call('DEL', c)
        redis.call('SREM', KEYS[2], c)
      end
      redis.call('DEL', KEYS[1])
      local n = tonumber(ARGV[2])
      local ttl = tonumber(ARGV[3])
      if n == 0 then
        redis.call('HSET', KEYS[1], 's', ARGV[1], 'n', 0, 'd', ARGV[6])
      else
        redis.call('HSET', KEYS[1], 's', ARGV[1], 'n', n, 'g', ARGV[5])
        for i = 0, n - 1 do
          redis.call('SADD', KEYS[2], ARGV[4] .. ARGV[5] .. ':' .. i)
        end
      end
      redis.call('PEXPIRE', KEYS[1], ttl)
      redis.call('SADD', KEYS[2], KEYS[1])
      redis.call('PEXPIRE', KEYS[2], ttl)
      return n
      """;

  /** KEYS: header, set. ARGV: chunk base. */
  static final String DELETE =
      """
      local h = redis.call('HMGET', KEYS[1], 'n', 'g')
      local n = tonumber(h[1] or '0')
      for i = 0, n - 1 do
        local c = ARGV[1] .. h[2] .. ':' .. i
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
