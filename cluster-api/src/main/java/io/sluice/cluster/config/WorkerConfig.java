package io.sluice.cluster.config;

import java.util.List;

/**
 * One worker of the cluster.
 *
 * @param id the worker's name, unique in the cluster
 * @param host the address the master and peers reach the worker at (it also binds there)
 * @param grpcPort the gRPC port (master and peer workers)
 * @param httpPort the HTTP port (health, metrics, CloudEvents)
 * @param slots how many functions it runs at once
 * @param memoryBytes memory it offers to FaaStore, in bytes
 * @param classpath jars and class folders where its {@code java} functions' classes are found
 *     (relative ones from the config file's folder); empty = none besides its own class path
 * @param secretsDir the folder whose files hold the secrets its functions' settings refer to
 *     ({@code secrets: {dir: PATH}}, per worker or for all; relative from the config file's
 *     folder), or null: secrets come from {@code SLUICE_SECRET_*} environment variables only
 */
public record WorkerConfig(
    String id,
    String host,
    int grpcPort,
    int httpPort,
    int slots,
    long memoryBytes,
    List<String> classpath,
    String secretsDir) {
  public static final int DEFAULT_SLOTS = 4;
  public static final long DEFAULT_MEMORY_BYTES = 512L * 1024 * 1024;

  /** A worker with no {@code classpath:} entries. */
  public WorkerConfig(
      String id, String host, int grpcPort, int httpPort, int slots, long memoryBytes) {
    this(id, host, grpcPort, httpPort, slots, memoryBytes, List.of());
  }

  /** A worker without a secrets folder. */
  public WorkerConfig(
      String id,
      String host,
      int grpcPort,
      int httpPort,
      int slots,
      long memoryBytes,
      List<String> classpath) {
    this(id, host, grpcPort, httpPort, slots, memoryBytes, classpath, null);
  }

  public WorkerConfig {
    classpath = classpath == null ? List.of() : List.copyOf(classpath);
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("worker id must not be empty");
    }
    host = Ports.checkHost("worker " + id + " host", host);
    Ports.check("worker " + id + " grpcPort", grpcPort);
    Ports.check("worker " + id + " httpPort", httpPort);
    if (slots < 1) {
      throw new IllegalArgumentException("worker " + id + " slots must be >= 1, got " + slots);
    }
    if (memoryBytes < 0) {
      throw new IllegalArgumentException(
          "worker " + id + " memory must not be negative, got " + memoryBytes);
    }
  }

  /** {@code host:grpcPort}, the address a gRPC client dials. */
  public String grpcAddress() {
    return host + ":" + grpcPort;
  }

  /** Whether the worker runs on this machine's loopback interface. */
  public boolean isLocal() {
    return Ports.isLoopback(host);
  }
}
