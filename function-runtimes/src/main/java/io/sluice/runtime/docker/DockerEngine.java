package io.sluice.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.InvocationBuilder;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Docker engine as the docker runtime uses it: a few blocking calls over the engine's REST API
 * (docker-java), always made on the runtime's I/O threads, never on a caller's. Every failure to
 * reach the engine becomes an {@link EngineUnreachable} naming the host it tried.
 *
 * <p>Not final: it is the seam where the pool's unit tests put a fake engine (the test's {@code
 * FakeDockerEngine}, whose containers are in-JVM HTTP servers), so that what the pool does when
 * starts fail, calls are cancelled or containers die is tested without Docker.
 */
class DockerEngine implements AutoCloseable {
  /** Labels every container of the runtime carries; cleanup selects by them, never by name. */
  static final String OWNER = "io.sluice.owner";

  static final String OWNER_HOST = "io.sluice.owner.host";
  static final String OWNER_PID = "io.sluice.owner.pid";
  static final String FUNCTION = "io.sluice.function";

  private final String host;
  private final DockerClient client;

  DockerEngine(String host) {
    this(host, client(host));
  }

  /**
   * An engine at {@code host} reached through {@code client} (null for a fake that overrides all).
   */
  DockerEngine(String host, DockerClient client) {
    this.host = host;
    this.client = client;
  }

  private static DockerClient client(String host) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(URI.create(host))
            .sslConfig(config.getSSLConfig())
            .maxConnections(32)
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofSeconds(60))
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** DOCKER_HOST (or the {@code sluice.docker.host} system property), else the default socket. */
  static String defaultHost() {
    String h = System.getProperty("sluice.docker.host");
    if (h == null || h.isBlank()) {
      h = System.getenv("DOCKER_HOST");
    }
    return h == null || h.isBlank() ? "unix:///var/run/docker.sock" : h;
  }

  String host() {
    return host;
  }

  /** Fails with {@link EngineUnreachable} unless the engine answers a ping. */
  void ping() {
    call(() -> client.pingCmd().exec());
  }

  /** Whether the engine has this image (by name or id). */
  boolean hasImage(String image) {
    try {
      call(() -> client.inspectImageCmd(image).exec());
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /**
   * Creates and starts a container named {@code name}; returns its id. The name makes a create that
   * the HTTP client retried (the engine slow to answer) find the first one instead of leaving an
   * untracked twin.
   */
  String start(
      String name, String image, List<String> env, Map<String, String> labels, DockerSpec spec) {
    HostConfig hc = hardened(spec);
    String id;
    try {
      id =
          call(
              () ->
                  client
                      .createContainerCmd(image)
                      .withName(name)
                      .withEnv(env)
                      .withLabels(labels)
                      .withHostConfig(hc)
                      .exec()
                      .getId());
    } catch (com.github.dockerjava.api.exception.ConflictException e) {
      id = call(() -> client.inspectContainerCmd(name).exec().getId());
    }
    String created = id;
    try {
      call(() -> client.startContainerCmd(created).exec());
    } catch (com.github.dockerjava.api.exception.NotModifiedException e) {
      // already started by a retried request
    } catch (RuntimeException e) {
      removeQuietly(created);
      throw e;
    }
    return created;
  }

  /**
   * How a function's container is confined (docs/runtimes.md, "Confinement"): no capabilities, no
   * privilege gain through setuid binaries, not privileged, a read-only root filesystem with a
   * tmpfs {@code /tmp} unless the function opts out, and memory (swap the same, so the limit is
   * hard on cgroup v1 hosts), CPU and process-count limits always. The host network stays: the
   * runtime reaches the proxy on 127.0.0.1:PORT (docs/security.md says what that leaves open).
   */
  static HostConfig hardened(DockerSpec spec) {
    HostConfig hc =
        HostConfig.newHostConfig()
            .withNetworkMode("host")
            .withPrivileged(false)
            .withCapDrop(com.github.dockerjava.api.model.Capability.ALL)
            .withSecurityOpts(List.of("no-new-privileges"))
            .withMemory(spec.memory())
            .withMemorySwap(spec.memory())
            .withNanoCPUs((long) (spec.cpus() * 1e9))
            .withPidsLimit(spec.pids());
    if (spec.readOnlyRoot()) {
      hc.withReadonlyRootfs(true).withTmpFs(Map.of("/tmp", TMP_OPTIONS));
    }
    return hc;
  }

  /** The tmpfs {@code /tmp} of a read-only container: writable, no devices or setuid, 64 MiB. */
  static final String TMP_OPTIONS = "rw,nosuid,nodev,size=64m,mode=1777";

  /** The container's state, or null when it no longer exists. */
  InspectContainerResponse.ContainerState state(String id) {
    try {
      return call(() -> client.inspectContainerCmd(id).exec().getState());
    } catch (NotFoundException e) {
      return null;
    }
  }

  /** The last {@code lines} lines of the container's stdout and stderr. */
  String logTail(String id, int lines) {
    StringBuilder out = new StringBuilder();
    try {
      client
          .logContainerCmd(id)
          .withStdOut(true)
          .withStdErr(true)
          .withTail(lines)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame f) {
                  out.append(new String(f.getPayload(), StandardCharsets.UTF_8));
                }
              })
          .awaitCompletion(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      out.append("(log not available: ").append(e.getMessage()).append(')');
    }
    return out.toString().strip();
  }

  /** Kills and removes a container; a container already gone is fine. */
  void removeQuietly(String id) {
    try {
      client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // already gone
    } catch (RuntimeException e) {
      // the engine went away: nothing more to do here
    }
  }

  /** Where the cgroup v1 memory controller keeps the engine's containers (cgroupfs driver). */
  static final Path CGROUP_MEMORY = Path.of("/sys/fs/cgroup/memory/docker");

  /**
   * The memory a container uses now, in bytes: its cgroup's usage less the inactive file cache
   * (what {@code docker stats} shows, and what the kernel would not reclaim before an OOM kill).
   * Read from the container's cgroup v1 files when this process sees them (the engine on this host
   * with the cgroupfs driver: two small file reads), else from the engine's stats (one no-stream
   * request, which the engine answers after sampling for a second or two). -1 when the container or
   * its figures are gone.
   */
  long memoryUsed(String id) {
    Path dir = CGROUP_MEMORY.resolve(id);
    if (Files.isDirectory(dir)) {
      try {
        long usage = Long.parseLong(Files.readString(dir.resolve("memory.usage_in_bytes")).strip());
        long inactive = 0;
        for (String line : Files.readAllLines(dir.resolve("memory.stat"))) {
          if (line.startsWith("total_inactive_file ")) {
            inactive = Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
          }
        }
        return Math.max(0, usage - inactive);
      } catch (IOException | RuntimeException e) {
        // the container went away between the check and the read: ask the engine
      }
    }
    try {
      Statistics s =
          call(
              () ->
                  client
                      .statsCmd(id)
                      .withNoStream(true)
                      .exec(new InvocationBuilder.AsyncResultCallback<Statistics>())
                      .awaitResult());
      MemoryStatsConfig m = s == null ? null : s.getMemoryStats();
      if (m == null || m.getUsage() == null) {
        return -1;
      }
      StatsConfig st = m.getStats();
      Long inactive =
          st == null
              ? null
              : st.getTotalInactiveFile() != null
                  ? st.getTotalInactiveFile()
                  : st.getInactiveFile();
      return Math.max(0, m.getUsage() - (inactive == null ? 0 : inactive));
    } catch (NotFoundException e) {
      return -1;
    }
  }

  /** Containers carrying all of these labels (running or not). */
  /** How the engine runs container {@code id} (what {@code docker inspect} shows as HostConfig). */
  HostConfig hostConfig(String id) {
    return call(() -> client.inspectContainerCmd(id).exec().getHostConfig());
  }

  List<Container> labelled(Map<String, String> labels) {
    return new ArrayList<>(
        call(() -> client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()));
  }

  private <T> T call(java.util.function.Supplier<T> op) {
    try {
      return op.get();
    } catch (NotFoundException e) {
      throw e;
    } catch (DockerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EngineUnreachable(host, e);
    }
  }

  private void call(Runnable op) {
    call(
        () -> {
          op.run();
          return null;
        });
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (java.io.IOException e) {
      // nothing held any more
    }
  }

  /** The engine did not answer (no socket, refused, timed out). */
  static final class EngineUnreachable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EngineUnreachable(String host, Throwable cause) {
      super(
          "the Docker engine at "
              + host
              + " cannot be reached ("
              + rootMessage(cause)
              + "); start one with `eval \"$(scripts/services.sh start DIR)\"` or set DOCKER_HOST",
          cause);
    }

    private static String rootMessage(Throwable t) {
      Throwable c = t;
      while (c.getCause() != null && c.getCause() != c) {
        c = c.getCause();
      }
      return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
  }
}
