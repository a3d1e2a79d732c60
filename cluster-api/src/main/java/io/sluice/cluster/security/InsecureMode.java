package io.sluice.cluster.security;

import io.sluice.cluster.config.SecurityConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code security: none} (no section, or {@code security: none}; docs/security.md): nothing
 * authenticates or encrypts and every function may run, which is safe only while nobody but this
 * machine can reach the ports. A master or worker in that mode logs {@link #WARNING} once at start
 * and refuses to listen on any address that is not loopback.
 */
public final class InsecureMode {
  public static final String WARNING =
      "security: none — no authentication, no encryption, every function allowed; listening on"
          + " loopback only";

  private InsecureMode() {}

  /** Refused start-up: a non-loopback address under {@code security: none}. */
  public static final class NotLoopbackException extends IllegalArgumentException {
    NotLoopbackException(String message) {
      super(message);
    }
  }

  /**
   * Throws when {@code security} is none and {@code host} (the value of config key {@code key},
   * e.g. {@code master.host}) is not a loopback address.
   *
   * @throws NotLoopbackException one line naming the address and the key
   */
  public static void check(SecurityConfig security, String host, String key) {
    if (security.enabled() || loopback(host)) {
      return;
    }
    throw new NotLoopbackException(
        "refusing to listen on "
            + host
            + " ("
            + key
            + ") with security: none: without a security section only loopback addresses"
            + " (127.0.0.1, ::1, localhost) are allowed; add a security section (docs/security.md)"
            + " or listen on 127.0.0.1");
  }

  /**
   * Whether {@code host} names only loopback addresses: a literal in 127.0.0.0/8 or ::1, or a name
   * that resolves to loopback addresses only. The wildcard (0.0.0.0, ::) and unresolvable names are
   * not.
   */
  public static boolean loopback(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String h = host.strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(h);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }
}
