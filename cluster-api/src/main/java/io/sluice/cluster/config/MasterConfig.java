package io.sluice.cluster.config;

/**
 * Where the master listens.
 *
 * @param host the address workers and clients reach the master at (it also binds there)
 * @param grpcPort the gRPC port (workers and clients)
 * @param httpPort the HTTP port (health, metrics, CloudEvents)
 */
public record MasterConfig(String host, int grpcPort, int httpPort) {
  public MasterConfig {
    host = Ports.checkHost("master host", host);
    Ports.check("master grpcPort", grpcPort);
    Ports.check("master httpPort", httpPort);
  }

  /** {@code host:grpcPort}, the address a gRPC client dials. */
  public String grpcAddress() {
    return host + ":" + grpcPort;
  }

  /** Whether the master runs on this machine's loopback interface. */
  public boolean isLocal() {
    return Ports.isLoopback(host);
  }
}
