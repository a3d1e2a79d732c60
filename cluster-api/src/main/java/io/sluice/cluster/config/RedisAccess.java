package io.sluice.cluster.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to log in to the store's Redis beyond its address: the keys of {@code store: {redis: {uri,
 * username, passwordFile, tls, caFile}}}. A password in the URI ({@code
 * redis://user:password@host}) works too, but a file keeps it out of the config; either way it is
 * never printed: {@link #masked} is what messages show.
 *
 * @param username the ACL user (null: the URI's, else Redis's {@code default})
 * @param passwordFile a file whose text (one trailing newline dropped) is the password, or null
 * @param tls connect with TLS even when the URI says {@code redis://} ({@code rediss://} always
 *     does)
 * @param caFile PEM certificates to trust for the server's certificate (null: the JVM's trust
 *     store)
 */
public record RedisAccess(String username, Path passwordFile, boolean tls, Path caFile) {
  /** Nothing beyond the URI. */
  public static final RedisAccess NONE = new RedisAccess(null, null, false, null);

  /** The password from {@link #passwordFile}, or null when there is none. */
  public String password() {
    if (passwordFile == null) {
      return null;
    }
    try {
      String s = Files.readString(passwordFile, StandardCharsets.UTF_8);
      if (s.endsWith("\r\n")) {
        return s.substring(0, s.length() - 2);
      }
      return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "store: redis passwordFile "
              + passwordFile
              + " cannot be read ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /**
   * The URI as messages and logs show it: the password (if the URI has one) replaced by {@code
   * ***}, e.g. {@code redis://app:***@10.0.0.5:6379/0}.
   */
  public static String masked(URI uri) {
    if (uri == null) {
      return "";
    }
    String info = uri.getRawUserInfo();
    if (info == null) {
      return uri.toString();
    }
    int colon = info.indexOf(':');
    String shown = colon < 0 ? "***" : info.substring(0, colon) + ":***";
    if (colon == 0) {
      shown = ":***";
    }
    return uri.getScheme()
        + "://"
        + shown
        + "@"
        + uri.getRawAuthority().substring(info.length() + 1)
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** {@link #masked(URI)} of a text that may not even parse as a URI. */
  public static String masked(String text) {
    if (text == null) {
      return "";
    }
    return text.replaceAll("(?<=://)([^:/@]*):[^@/]*@", "$1:***@");
  }
}
