package io.sluice.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.sluice.model.FunctionDef;
import io.sluice.model.format.JsonMappers;
import io.sluice.runtime.Footprint;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.internal.DaemonThreads;
import io.sluice.runtime.internal.Deadlines;
import io.sluice.runtime.internal.InFlight;
import io.sluice.runtime.internal.Settings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The {@code docker} runtime: every function runs in containers of its image that speak the
 * OpenWhisk action-proxy protocol ({@code POST /init} once with the code, {@code POST /run} per
 * call) on a 127.0.0.1 port given in {@code PORT} (host network). One warm {@link ContainerPool}
 * per function: containers start on demand, are reused while warm, grow up to {@code maxContainers}
 * under concurrent calls and expire after {@code keepAlive} idle.
 *
 * <p>Nothing blocks the caller: calls go out with an asynchronous HTTP client, and every engine
 * call (create, start, inspect, remove) runs on the runtime's own I/O threads. Containers are
 * labelled with this process as their owner; closing the runtime removes them, and the first use of
 * the engine removes labelled containers whose owner process on this host is gone (a crash).
 */
final class DockerFunctionRuntime implements FunctionRuntime {
  private static final System.Logger LOG = System.getLogger(DockerFunctionRuntime.class.getName());
  static final String KIND = "docker";
  static final ObjectMapper JSON = JsonMappers.forValues();

  private final RuntimeOptions options;
  private final java.util.function.Supplier<DockerEngine> connect;
  private final InFlight inFlight = new InFlight(KIND);
  private final ExecutorService io;
  private final java.net.http.HttpClient http;
  private final Map<FunctionDef, ContainerPool> pools = new ConcurrentHashMap<>();
  private final Set<String> knownImages = ConcurrentHashMap.newKeySet();
  private final Map<String, String> ownerLabels;
  private volatile DockerEngine engine;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicBoolean measuring =
      new java.util.concurrent.atomic.AtomicBoolean();
  // memory each container with a limit used at the last measure, by container id
  private volatile Map<String, Long> usedMemory = Map.of();
  private volatile io.sluice.time.Scheduler.Cancellable nextMeasure;

  /** How often the containers' memory use is read for {@link #footprint()}. */
  static final java.time.Duration MEMORY_REFRESH = java.time.Duration.ofSeconds(2);

  DockerFunctionRuntime(RuntimeOptions options) {
    this(options, DockerEngine.defaultHost());
  }

  DockerFunctionRuntime(RuntimeOptions options, String engineHost) {
    this(options, () -> new DockerEngine(engineHost));
  }

  /** A runtime whose engine {@code connect} makes on first use (tests pass a fake engine). */
  DockerFunctionRuntime(RuntimeOptions options, java.util.function.Supplier<DockerEngine> connect) {
    this.options = options;
    this.connect = connect;
    this.io = DaemonThreads.cachedPool("sluice-docker-io", Duration.ofSeconds(30));
    this.http =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .connectTimeout(java.time.Duration.ofSeconds(5))
            .executor(io)
            .build();
    long pid = ProcessHandle.current().pid();
    String hostName = hostName();
    String owner = System.getProperty("sluice.worker.id", hostName + "/" + pid);
    this.ownerLabels =
        Map.of(
            DockerEngine.OWNER, owner,
            DockerEngine.OWNER_HOST, hostName,
            DockerEngine.OWNER_PID, Long.toString(pid));
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** The labels every container of this runtime carries (tests select by them). */
  Map<String, String> ownerLabels() {
    return ownerLabels;
  }

  RuntimeOptions options() {
    return options;
  }

  ExecutorService io() {
    return io;
  }

  java.net.http.HttpClient http() {
    return http;
  }

  /**
   * The engine, connected on first use; that first use also removes the labelled containers of
   * owners on this host that no longer run (left by a crash). Blocking: called on I/O threads and
   * at validation.
   */
  DockerEngine engine() {
    DockerEngine e = engine;
    if (e != null) {
      return e;
    }
    synchronized (this) {
      if (engine == null) {
        DockerEngine fresh = connect.get();
        try {
          fresh.ping();
          removeStale(fresh);
        } catch (RuntimeException ex) {
          fresh.close();
          throw ex;
        }
        engine = fresh;
      }
      return engine;
    }
  }

  private void removeStale(DockerEngine e) {
    String me = ownerLabels.get(DockerEngine.OWNER_PID);
    for (Container c :
        e.labelled(Map.of(DockerEngine.OWNER_HOST, ownerLabels.get(DockerEngine.OWNER_HOST)))) {
      String pid = c.getLabels() == null ? null : c.getLabels().get(DockerEngine.OWNER_PID);
      if (pid == null || pid.equals(me) || !pid.matches("[0-9]+")) {
        continue;
      }
      if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
        continue; // another live Sluice process on this host owns it
      }
      e.removeQuietly(c.getId());
    }
  }

  @Override
  public void validate(FunctionDef function) {
    DockerSpec spec = DockerSpec.of(function);
    Settings.duration(function, "timeout");
    if (!knownImages.contains(spec.image())) {
      DockerEngine e;
      try {
        e = engine();
      } catch (DockerEngine.EngineUnreachable ex) {
        throw new IllegalArgumentException(Settings.describe(function) + ": " + ex.getMessage());
      }
      if (!e.hasImage(spec.image())) {
        throw Settings.bad(
            function,
            "image",
            "names image '"
                + spec.image()
                + "', which the Docker engine at "
                + e.host()
                + " does not have (no registry is reachable: build it locally, e.g. with"
                + " `bin/sluice image build`)");
      }
      knownImages.add(spec.image());
    }
    if (spec.prewarm() > 0 && !closed) {
      pool(function, spec).ensureWarm();
    }
  }

  @Override
  public void warmUp(FunctionDef function) {
    if (!closed) {
      pool(function, DockerSpec.of(function)).ensureWarm();
    }
  }

  /**
   * Starts one container in the background if the function's pool has none idle or starting and is
   * below its maximum. Never blocks: the start runs on the runtime's I/O threads; a bad spec or a
   * failed start is only logged.
   */
  @Override
  public void prewarm(FunctionDef function) {
    if (closed) {
      return;
    }
    try {
      pool(function, DockerSpec.of(function)).prewarmOne();
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "function ''{0}'': prewarm skipped: {1}",
          function.name(),
          e.getMessage());
    }
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    if (closed) {
      return CompletableFuture.failedFuture(inFlight.closedError());
    }
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    DockerSpec spec;
    long deadline;
    try {
      spec = DockerSpec.of(inv.function());
      deadline = Deadlines.effective(inv, options.scheduler());
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(Settings.badConfiguration(e));
      return result;
    }
    inFlight.track(result);
    ContainerPool pool = pool(inv.function(), spec);
    ContainerPool.Call call = new ContainerPool.Call(inv, result);
    Deadlines.enforce(result, inv, deadline, options.scheduler(), () -> pool.timedOut(call));
    try {
      pool.submit(call);
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(inFlight.closedError());
    }
    return result;
  }

  private ContainerPool pool(FunctionDef function, DockerSpec spec) {
    ContainerPool p = pools.computeIfAbsent(function, f -> new ContainerPool(this, f, spec));
    if (measuring.compareAndSet(false, true)) {
      scheduleMeasure();
    }
    return p;
  }

  /** Measures the containers' memory every {@link #MEMORY_REFRESH}, from the first pool on. */
  private void scheduleMeasure() {
    if (closed) {
      return;
    }
    nextMeasure =
        options
            .scheduler()
            .schedule(
                MEMORY_REFRESH,
                () -> {
                  try {
                    io.execute(
                        () -> {
                          try {
                            measureMemory();
                          } finally {
                            scheduleMeasure();
                          }
                        });
                  } catch (RejectedExecutionException e) {
                    // closed
                  }
                });
  }

  /**
   * Reads the memory every container with a limit uses now (blocking: engine stats or cgroup files)
   * and keeps the sum for {@link #footprint()}; a container's figure never counts above its limit.
   * Containers without a limit are not counted: nothing was granted to them.
   */
  void measureMemory() {
    DockerEngine e = engine;
    if (e == null || closed) {
      return;
    }
    Map<String, Long> used = new java.util.HashMap<>();
    try {
      for (ContainerPool p : pools.values()) {
        long limit = p.memoryLimit();
        if (limit <= 0) {
          continue;
        }
        for (String id : p.containerIds()) {
          long u = e.memoryUsed(id);
          if (u >= 0) {
            used.put(id, Math.min(u, limit));
          }
        }
      }
    } catch (RuntimeException ex) {
      return; // the engine went away: keep the last figures
    }
    usedMemory = Map.copyOf(used);
  }

  /** Every pool (tests and the heartbeat look at them). */
  List<ContainerPool> pools() {
    return new ArrayList<>(pools.values());
  }

  /**
   * Busy slots, the memory limits of the live containers (granted) and what they use. A container
   * not measured yet (starting, or started since the last measure) counts as using all it was
   * granted, so FaaStore never takes memory a new container may need before it is measured.
   */
  @Override
  public Footprint footprint() {
    Map<String, Long> measured = usedMemory;
    long granted = 0;
    long used = 0;
    for (ContainerPool p : pools.values()) {
      long limit = p.memoryLimit();
      long poolGranted = p.grantedMemory();
      granted += poolGranted;
      if (limit <= 0) {
        continue;
      }
      long counted = 0;
      for (String id : p.containerIds()) {
        Long u = measured.get(id);
        if (u != null) {
          used += u;
          counted += limit;
        }
      }
      used += Math.max(0, poolGranted - counted); // unmeasured: all of their grant
    }
    return new Footprint(inFlight.size(), granted, Math.min(granted, used));
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    io.sluice.time.Scheduler.Cancellable measure = nextMeasure;
    if (measure != null) {
      measure.cancel();
    }
    inFlight.close();
    List<String> ids = new ArrayList<>();
    for (ContainerPool p : pools.values()) {
      ids.addAll(p.closeAndTakeContainers());
    }
    pools.clear();
    DockerEngine e = engine;
    if (e != null) {
      // Remove ours in parallel, and wait: nothing of ours outlives close.
      List<CompletableFuture<Void>> removals = new ArrayList<>();
      for (String id : ids) {
        removals.add(CompletableFuture.runAsync(() -> e.removeQuietly(id), io));
      }
      try {
        CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
            .get(60, TimeUnit.SECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
        // best effort; the next start removes what is left (by label)
      }
      try {
        for (Container c :
            e.labelled(Map.of(DockerEngine.OWNER, ownerLabels.get(DockerEngine.OWNER)))) {
          e.removeQuietly(c.getId());
        }
      } catch (RuntimeException ex) {
        // the engine went away
      }
      e.close();
    }
    io.shutdownNow();
  }

  /** The failure of a call whose image the engine does not have. */
  static FunctionException noImage(FunctionDef f, String image, NotFoundException e) {
    return new FunctionException(
        FunctionException.BAD_CONFIGURATION,
        "function '"
            + f.name()
            + "': the Docker engine has no image '"
            + image
            + "' (build it locally, e.g. with `bin/sluice image build`)",
        false,
        e);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
