package io.sluice.cluster.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which placement (node -> worker map) of a workflow an instance runs with, as a 64-bit digest that
 * master and workers compute alike. Not {@code Map#hashCode}: that sums each entry's {@code
 * key.hashCode() ^ value.hashCode()}, and worker ids such as {@code w1}/{@code w2} differ in their
 * low bits only, so two placements that move two nodes between two workers collide often (hundreds
 * of such pairs in a 43-node workflow): a worker then ran an instance's part, or an adopted part,
 * with another placement's partition, and its edge events went to a worker that does not hold their
 * target. A SHA-256 prefix over the sorted entries makes a collision negligible.
 */
public final class PlacementId {
  private PlacementId() {}

  /** The digest of a placement; never 0 (0 means "the latest deployed" on the wire). */
  public static long of(Map<String, String> placement) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    for (Map.Entry<String, String> e : new TreeMap<>(placement).entrySet()) {
      sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    byte[] d = sha.digest();
    long id = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      id = (id << 8) | (d[i] & 0xff);
    }
    return id == 0 ? 1 : id;
  }
}
