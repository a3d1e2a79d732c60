package io.sluice.runtime.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.Footprint;
import io.sluice.runtime.FunctionCode;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.docker.DockerRuntimeProvider;
import io.sluice.runtime.internal.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Synthetic functions whose setting {@code container} is {@code docker}: the call (sleep and
 * payload, computed here from the hints and the scales exactly as in the JVM) runs inside a
 * container of the {@code docker} runtime, one warm pool per function name, with the small Python
 * function {@code synthetic.py} as the container's code (so the stock {@code
 * sluice/fn-python:local} image serves it; no image of its own). The output is the in-JVM
 * runtime's.
 */
final class ContainerSynthetics implements AutoCloseable {
  /** The setting that moves a synthetic function into containers. */
  static final String CONTAINER = "container";

  static final String DEFAULT_IMAGE = "sluice/fn-python:local";
  static final int DEFAULT_CONCURRENCY = 8;
  static final int DEFAULT_MAX_CONTAINERS = 4;

  /**
   * Every container gets a memory limit, as FaaSFlow's do: without one, a worker's FaaStore has no
   * granted memory to reclaim ({@code store: reclaimFromContainers}).
   */
  static final String DEFAULT_MEMORY = "256MiB";

  /** Docker settings a synthetic function may set for its containers; the rest stay its own. */
  private static final List<String> PASSED =
      List.of(
          "image",
          "memory",
          "cpus",
          "pids",
          "readOnlyRoot",
          "env",
          "concurrency",
          "maxContainers",
          "keepAlive",
          "timeout");

  private static final String CODE = code();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final RuntimeOptions options;
  private final Map<FunctionDef, FunctionDef> defs = new ConcurrentHashMap<>();
  private FunctionRuntime docker;
  private boolean closed;

  ContainerSynthetics(RuntimeOptions options) {
    this.options = options;
  }

  /**
   * Whether the function runs in a container; throws {@link IllegalArgumentException} for a value
   * other than {@code jvm} or {@code docker}.
   */
  static boolean inContainer(FunctionDef f) {
    String c = Settings.text(f, CONTAINER);
    if (c == null || c.equals("jvm")) {
      return false;
    }
    if (c.equals("docker")) {
      return true;
    }
    throw Settings.bad(f, CONTAINER, "must be jvm (the default) or docker, got '" + c + "'");
  }

  /** The docker function a synthetic function runs as: same name, so one pool per name. */
  FunctionDef dockerDef(FunctionDef f) {
    return defs.computeIfAbsent(
        f,
        k -> {
          ObjectNode s = F.objectNode();
          s.put("image", DEFAULT_IMAGE);
          s.put("concurrency", DEFAULT_CONCURRENCY);
          s.put("maxContainers", DEFAULT_MAX_CONTAINERS);
          s.put("memory", DEFAULT_MEMORY);
          for (String key : PASSED) {
            JsonNode v = k.settings().get(key);
            if (v != null && !v.isNull()) {
              s.set(key, v);
            }
          }
          s.put(FunctionCode.CODE_TEXT, CODE);
          s.put("main", "main");
          return new FunctionDef(k.name(), "docker", s, k.location());
        });
  }

  void validate(FunctionDef f) {
    docker().validate(dockerDef(f));
  }

  /** Runs the call in a container; fails as the in-JVM call would when it is meant to fail. */
  CompletionStage<JsonNode> invoke(Invocation inv, SyntheticCall call) {
    ObjectNode in = F.objectNode();
    in.put("node", inv.nodeId());
    in.put("sleepMs", call.sleepNanos() / 1e6);
    in.put("payloadChars", call.payloadChars());
    Invocation inContainer =
        new Invocation(
            dockerDef(inv.function()),
            in,
            inv.deadlineNanos(),
            inv.instanceId(),
            inv.nodeId(),
            inv.attempt(),
            inv.hints(),
            null,
            inv.key());
    CompletionStage<JsonNode> out = docker().invoke(inContainer);
    if (call.failure() == null) {
      return out;
    }
    return out.thenCompose(r -> CompletableFuture.failedFuture(call.failure()));
  }

  /**
   * The memory the containers of synthetic calls were granted and use (none before the first call
   * in a container), so a worker's FaaStore budget can follow them.
   */
  synchronized Footprint footprint() {
    return docker == null ? Footprint.NONE : docker.footprint();
  }

  private synchronized FunctionRuntime docker() {
    if (docker == null) {
      if (closed) {
        throw new IllegalStateException("the synthetic runtime is closed");
      }
      docker = new DockerRuntimeProvider().create(options);
    }
    return docker;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (docker != null) {
      docker.close();
    }
  }

  private static String code() {
    try (InputStream in = ContainerSynthetics.class.getResourceAsStream("synthetic.py")) {
      if (in == null) {
        throw new IllegalStateException("synthetic.py is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read synthetic.py", e);
    }
  }
}
