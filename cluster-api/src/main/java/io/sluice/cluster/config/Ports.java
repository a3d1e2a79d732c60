package io.sluice.cluster.config;

/** Port and host checks shared by the configuration records. */
final class Ports {
  private Ports() {}

  static int check(String what, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(what + " must be a port in 0..65535, got " + port);
    }
    return port;
  }

  static String checkHost(String what, String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          what + " must be a host name or address, got '" + host + "'");
    }
    return host.trim();
  }

  /** Whether a host names this machine's loopback interface. */
  static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost") || host.equals("::1");
  }

  /** A host name under which two spellings of loopback compare equal (for port clashes). */
  static String canonicalHost(String host) {
    return isLoopback(host) ? "127.0.0.1" : host.toLowerCase(java.util.Locale.ROOT);
  }
}
