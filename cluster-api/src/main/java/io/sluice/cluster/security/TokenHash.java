package io.sluice.cluster.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The hash a tokens file keeps of a client token ({@code sha256:HEX}), so the file never holds a
 * token itself; and new random tokens ({@code sluice token new}).
 */
public final class TokenHash {
  public static final String PREFIX = "sha256:";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenHash() {}

  /** The SHA-256 of a token's UTF-8 bytes. */
  public static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** {@code sha256:HEX} of a token, as a tokens file holds it. */
  public static String of(String token) {
    return PREFIX + HexFormat.of().formatHex(digest(token));
  }

  /** A random 32-byte token, base64url without padding (43 characters). */
  public static String newToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
