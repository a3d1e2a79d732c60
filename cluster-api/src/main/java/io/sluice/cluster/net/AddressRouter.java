package io.sluice.cluster.net;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a process dials to reach {@code host:port}: the address itself ({@link #DIRECT}), or a
 * local relay standing in for it ({@link LinkEmulator}). Every component that opens a connection to
 * another cluster member (gRPC channels to the master and to workers, Redis) asks one of these, so
 * emulated links are one decision per process.
 */
@FunctionalInterface
public interface AddressRouter {
  /** Dials every address as it is. */
  AddressRouter DIRECT = hostPort -> hostPort;

  /**
   * The {@code host:port} to connect to in order to reach {@code hostPort} ({@code [v6]:port} for
   * IPv6 literals).
   *
   * @throws IllegalArgumentException when {@code hostPort} is not {@code HOST:PORT}
   */
  String route(String hostPort);

  /**
   * {@code uri} with its host and port replaced by the route to them (scheme, credentials, path and
   * query kept); {@code defaultPort} when the URI names none (e.g. 6379 for {@code redis://}).
   */
  default URI route(URI uri, int defaultPort) {
    if (this == DIRECT) {
      return uri;
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("cannot route " + uri + ": it names no host");
    }
    int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
    String host = uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost();
    HostPort to = HostPort.parse(route(host + ":" + port));
    try {
      return new URI(
          uri.getScheme(),
          uri.getUserInfo(),
          to.host(),
          to.port(),
          uri.getPath(),
          uri.getQuery(),
          uri.getFragment());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot route " + uri + ": " + e.getMessage(), e);
    }
  }
}
