package io.sluice.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The idempotency keys of one function call, so that a function (or the service it calls) can
 * de-duplicate its side effects when the engine invokes it again: after a re-delivery, after a
 * worker died and its part was re-placed, or after a master restart.
 *
 * <p>Both keys are pure functions of the root instance id, the node path (each enclosing map, loop
 * or sub-workflow node with the map item index, loop round or sub-workflow's {@code 1}) and the
 * attempts; nothing random or time-based, so a re-run of the same attempt gets the same key.
 *
 * <ul>
 *   <li>{@link #idempotencyKey()} names one attempt: {@code ROOT/map@1[0]/fn@2} is attempt 2 of
 *       {@code fn} in item 0 of attempt 1 of {@code map}. Two deliveries of the same attempt share
 *       it; a retry (a new attempt of the node or of an enclosing node) gets a new one. Use it to
 *       de-duplicate re-deliveries while still letting a retry act again (e.g. a call that failed
 *       half-way and must be redone).
 *   <li>{@link #stepKey()} names the logical step across every attempt: {@code ROOT/map[0]/fn}. Use
 *       it where the side effect must happen once whatever the retries, the way AWS and Stripe
 *       idempotency keys are used (charge a card, send a mail).
 * </ul>
 *
 * <p>Ids are written as they are when they hold only {@code A-Z a-z 0-9 . _ : -}; any other
 * character (including the separators {@code / @ [ ] % ~}) is percent-encoded as UTF-8, so two
 * different paths never give the same text. A key longer than {@link #MAX_LENGTH} characters keeps
 * a readable prefix and ends with {@code ~} and 40 hex digits (160 bits) of the SHA-256 of the
 * whole text; {@code ~} never occurs in an unhashed key. Keys are therefore safe in HTTP headers,
 * environment variables and AWS ClientContext.
 *
 * @param idempotencyKey the key of this attempt
 * @param stepKey the key of the step, the same for every attempt
 */
public record CallKey(String idempotencyKey, String stepKey) {
  /** The longest key, in characters (ASCII). */
  public static final int MAX_LENGTH = 128;

  private static final int HASH_HEX = 40;

  /**
   * A map item, loop round or sub-workflow run that encloses the call, outermost first.
   *
   * @param nodeId the map, loop or sub-workflow node
   * @param index the map item index (from 0), the loop round (from 1) or 1 for a sub-workflow
   * @param attempt the enclosing node's attempt (from 1)
   */
  public record Enclosing(String nodeId, int index, int attempt) {
    public Enclosing {
      Objects.requireNonNull(nodeId, "nodeId");
    }
  }

  public CallKey {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(stepKey, "stepKey");
  }

  /** The keys of a call of top-level node {@code nodeId} of root instance {@code rootId}. */
  public static CallKey of(String rootId, String nodeId, int attempt) {
    return of(rootId, List.of(), nodeId, attempt);
  }

  /** The keys of a call of {@code nodeId} inside {@code path} (outermost first). */
  public static CallKey of(String rootId, List<Enclosing> path, String nodeId, int attempt) {
    Prefix p = Prefix.root(rootId);
    for (Enclosing e : path) {
      p = p.enter(e);
    }
    return p.call(nodeId, attempt);
  }

  /**
   * The unbounded key texts of an instance (a root, or a map item, loop round or sub-workflow run
   * inside one), so that an engine computes the enclosing path once per instance, not per call.
   *
   * @param attemptText the path with the enclosing attempts
   * @param stepText the path without them
   */
  public record Prefix(String attemptText, String stepText) {
    /** The prefix of a root instance. */
    public static Prefix root(String rootId) {
      String r = escape(Objects.requireNonNull(rootId, "rootId"));
      return new Prefix(r, r);
    }

    /** The prefix of the child instance {@code e} of this one. */
    public Prefix enter(Enclosing e) {
      String node = escape(e.nodeId());
      return new Prefix(
          attemptText + '/' + node + '@' + e.attempt() + '[' + e.index() + ']',
          stepText + '/' + node + '[' + e.index() + ']');
    }

    /** The keys of attempt {@code attempt} of node {@code nodeId} of this instance. */
    public CallKey call(String nodeId, int attempt) {
      String node = escape(Objects.requireNonNull(nodeId, "nodeId"));
      return new CallKey(
          bound(attemptText + '/' + node + '@' + attempt), bound(stepText + '/' + node));
    }
  }

  /** {@code s} with every character outside {@code A-Z a-z 0-9 . _ : -} percent-encoded. */
  static String escape(String s) {
    int i = 0;
    while (i < s.length() && plain(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (byte x : s.substring(i).getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if (c < 0x80 && plain(c)) {
        b.append(c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)));
        b.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }

  private static boolean plain(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == ':'
        || c == '-';
  }

  /** {@code text} if it fits, else a readable prefix, {@code ~} and a hash of the whole text. */
  static String bound(String text) {
    if (text.length() <= MAX_LENGTH) {
      return text;
    }
    int keep = MAX_LENGTH - 1 - HASH_HEX;
    // Do not cut a %XX escape in two: it would read as a different character.
    int pct = text.lastIndexOf('%', keep - 1);
    if (pct >= 0 && pct > keep - 3) {
      keep = pct;
    }
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    return text.substring(0, keep) + '~' + HexFormat.of().formatHex(hash).substring(0, HASH_HEX);
  }
}
