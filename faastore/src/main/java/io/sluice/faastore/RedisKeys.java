package io.sluice.faastore;

import java.nio.charset.StandardCharsets;

/**
 * Redis key names. Every key of an instance carries the hash tag {@code {instance}}, so an
 * instance's keys live in one slot and one script can touch them all:
 *
 * <ul>
 *   <li>{@code PREFIX:{instance}:h:node/key} — the header hash: size {@code s}, chunk count {@code
 *       n}, generation {@code g}, or the bytes {@code d} themselves for small values ({@code n}=0);
 *   <li>{@code PREFIX:{instance}:c:node/key:G:N} — chunk N of generation G of a larger value;
 *   <li>{@code PREFIX:{instance}:keys} — the set of every key above, for deleteInstance.
 * </ul>
 */
final class RedisKeys {
  private final String prefix;

  RedisKeys(String prefix) {
    this.prefix = prefix;
  }

  byte[] header(DataKey key) {
    return bytes(base(key.instanceId()) + "h:" + key.nodeId() + "/" + key.key());
  }

  byte[] chunkBase(DataKey key) {
    return bytes(chunkPrefix(key));
  }

  /** Chunk {@code index} of generation {@code generation} of {@code key}'s value. */
  byte[] chunk(DataKey key, String generation, int index) {
    return bytes(chunkPrefix(key) + generation + ":" + index);
  }

  private String chunkPrefix(DataKey key) {
    return base(key.instanceId()) + "c:" + key.nodeId() + "/" + key.key() + ":";
  }

  byte[] instanceSet(String instanceId) {
    return bytes(base(instanceId) + "keys");
  }

  /** SCAN pattern matching every header key under this prefix. */
  byte[] allHeaders() {
    return bytes(escape(prefix) + ":{*}:h:*");
  }

  /** SCAN pattern matching every key under this prefix. */
  byte[] everything() {
    return bytes(escape(prefix) + ":*");
  }

  private String base(String instanceId) {
    return prefix + ":{" + instanceId + "}:";
  }

  private static String escape(String glob) {
    return glob.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
