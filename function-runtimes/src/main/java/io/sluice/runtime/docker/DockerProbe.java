package io.sluice.runtime.docker;

/** Whether the Docker engine the docker runtime would use answers (tests and benchmarks ask). */
public final class DockerProbe {
  private DockerProbe() {}

  /**
   * The engine's address: {@code DOCKER_HOST}, the {@code sluice.docker.host} property, or the
   * default socket.
   */
  public static String host() {
    return DockerEngine.defaultHost();
  }

  /** Null when the engine answers a ping; else why not, with the address and how to start one. */
  public static String problem() {
    String host = host();
    try (DockerEngine e = new DockerEngine(host)) {
      e.ping();
      return null;
    } catch (RuntimeException e) {
      return "no Docker engine answers at "
          + host
          + " ("
          + e.getMessage()
          + "); start one with `eval \"$(scripts/services.sh start DIR)\"`";
    }
  }
}
