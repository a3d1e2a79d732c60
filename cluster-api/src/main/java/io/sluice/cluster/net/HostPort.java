package io.sluice.cluster.net;

/** A {@code host:port} address as components dial it; {@code [v6]:port} for IPv6 literals. */
record HostPort(String host, int port) {
  HostPort {
    if (host.isBlank() || port < 1 || port > 65_535) {
      throw new IllegalArgumentException("not HOST:PORT (port 1..65535): " + host + ":" + port);
    }
  }

  /**
   * Reads {@code host:port}.
   *
   * @throws IllegalArgumentException naming the text when it is not {@code HOST:PORT}
   */
  static HostPort parse(String text) {
    int colon = text.lastIndexOf(':');
    String bad = "'" + text + "' is not HOST:PORT (port 1..65535)";
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(bad);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(bad, e);
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
